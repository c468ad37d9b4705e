using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Grains.Abstractions.Plans;

/// <summary>
/// Reads plan.json and checks it, naming the field of every problem at once (<c>scenes[1].character</c>),
/// so whoever wrote the plan in Notion or through the API can fix it in one go. Unknown fields are
/// errors: a misspelt <c>naration</c> must not silently make a silent scene.
/// </summary>
public static partial class PlanReader
{
    /// <summary>Longest prompt or narration accepted (providers refuse far less than this anyway).</summary>
    public const int MaxTextLength = 5_000;

    /// <summary>Most assets a plan may have.</summary>
    public const int MaxAssets = 100;

    /// <summary>Most scenes a plan may have.</summary>
    public const int MaxScenes = 100;

    /// <summary>The clip lengths Kling makes.</summary>
    public static readonly IReadOnlyList<int> Durations = [5, 10];

    /// <summary>What an asset or scene id may look like: it names files.</summary>
    public const string IdRule = "1 to 63 lowercase letters, digits or '-', starting with a letter or digit";

    private static readonly string[] RootFields = ["title", "description", "tags", "voice", "assets", "scenes"];
    private static readonly string[] AssetFields = ["id", "kind", "prompt"];
    private static readonly string[] SceneFields = ["id", "character", "environment", "video_prompt", "narration", "sound_effect", "duration"];

    /// <summary>Reads a plan.</summary>
    /// <param name="json">The plan's JSON text.</param>
    /// <returns>The plan, or every error found.</returns>
    public static PlanReadResult Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            return Read(document.RootElement);
        }
        catch (JsonException e)
        {
            return new PlanReadResult(null, [new PlanError("", $"not valid JSON: {e.Message}")]);
        }
    }

    /// <summary>Reads a plan that is already parsed.</summary>
    /// <param name="root">The plan's root element.</param>
    /// <returns>The plan, or every error found.</returns>
    public static PlanReadResult Read(JsonElement root)
    {
        var errors = new List<PlanError>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new PlanReadResult(null, [new PlanError("", $"a plan is a JSON object (got {Describe(root)})")]);
        }

        RejectUnknown(root, "", RootFields, errors);
        var title = OptionalText(root, "title", "title", 200, errors);
        var description = OptionalText(root, "description", "description", 5_000, errors);
        var voice = OptionalText(root, "voice", "voice", 100, errors);
        var tags = ReadTags(root, errors);

        var assets = ReadList(root, "assets", MaxAssets, errors, ReadAsset);
        var scenes = ReadList(root, "scenes", MaxScenes, errors, ReadScene);
        RequireUnique(assets.Select(a => a.Id), "assets", errors);
        RequireUnique(scenes.Select(s => s.Id), "scenes", errors);
        CheckReferences(root, assets, errors);

        return errors.Count > 0
            ? new PlanReadResult(null, errors)
            : new PlanReadResult(new Plan(title, description, tags, voice, assets, scenes), []);
    }

    /// <summary>Whether <paramref name="id"/> can name an asset or a scene.</summary>
    /// <param name="id">The id.</param>
    /// <returns>True when it matches <see cref="IdRule"/>.</returns>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    private static PlanAsset? ReadAsset(JsonElement element, string path, List<PlanError> errors)
    {
        RejectUnknown(element, path, AssetFields, errors);
        var id = RequiredId(element, path, errors);
        var kindText = RequiredText(element, "kind", path, 20, errors);
        PlanAssetKind? kind = kindText switch
        {
            null => null,
            "character" => PlanAssetKind.Character,
            "environment" => PlanAssetKind.Environment,
            _ => Error<PlanAssetKind>(errors, $"{path}.kind", $"must be \"character\" or \"environment\" (got \"{kindText}\")"),
        };
        var prompt = RequiredText(element, "prompt", path, MaxTextLength, errors);
        return id is null || kind is null || prompt is null ? null : new PlanAsset(id, kind.Value, prompt);
    }

    private static PlanScene? ReadScene(JsonElement element, string path, List<PlanError> errors)
    {
        RejectUnknown(element, path, SceneFields, errors);
        var id = RequiredId(element, path, errors);
        var character = RequiredText(element, "character", path, 63, errors);
        var environment = RequiredText(element, "environment", path, 63, errors);
        var videoPrompt = RequiredText(element, "video_prompt", path, MaxTextLength, errors);
        var narration = OptionalText(element, "narration", $"{path}.narration", MaxTextLength, errors);
        var soundEffect = OptionalText(element, "sound_effect", $"{path}.sound_effect", 1_000, errors);
        var duration = 5;
        if (element.TryGetProperty("duration", out var durationElement))
        {
            if (durationElement.ValueKind != JsonValueKind.Number || !durationElement.TryGetInt32(out duration) || !Durations.Contains(duration))
            {
                errors.Add(new PlanError($"{path}.duration", $"must be 5 or 10 (seconds; got {durationElement.GetRawText()})"));
            }
        }

        return id is null || character is null || environment is null || videoPrompt is null
            ? null
            : new PlanScene(id, character, environment, videoPrompt, narration, soundEffect, duration);
    }

    private static void CheckReferences(JsonElement root, List<PlanAsset> assets, List<PlanError> errors)
    {
        if (!root.TryGetProperty("scenes", out var sceneElements) || sceneElements.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var kinds = assets.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First().Kind);
        var index = 0;
        foreach (var element in sceneElements.EnumerateArray())
        {
            var path = $"scenes[{index++}]";
            foreach (var (field, kind) in new[] { ("character", PlanAssetKind.Character), ("environment", PlanAssetKind.Environment) })
            {
                if (!element.TryGetProperty(field, out var reference) || reference.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                var id = reference.GetString()!;
                if (!kinds.TryGetValue(id, out var actual))
                {
                    errors.Add(new PlanError($"{path}.{field}", $"\"{id}\" is not the id of an asset"));
                }
                else if (actual != kind)
                {
                    errors.Add(new PlanError($"{path}.{field}", $"\"{id}\" is a{(actual == PlanAssetKind.Environment ? "n environment" : " character")}, not a{(kind == PlanAssetKind.Environment ? "n environment" : " character")}"));
                }
            }
        }

    }

    private static List<T> ReadList<T>(
        JsonElement root, string name, int max, List<PlanError> errors, Func<JsonElement, string, List<PlanError>, T?> read)
        where T : class
    {
        var items = new List<T>();
        if (!root.TryGetProperty(name, out var array))
        {
            errors.Add(new PlanError(name, "required: a list with at least one entry"));
            return items;
        }

        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0 || array.GetArrayLength() > max)
        {
            errors.Add(new PlanError(name, $"must be a list of 1 to {max} objects (got {Describe(array)})"));
            return items;
        }

        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var path = $"{name}[{index++}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new PlanError(path, $"must be an object (got {Describe(element)})"));
            }
            else if (read(element, path, errors) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    private static List<string> ReadTags(JsonElement root, List<PlanError> errors)
    {
        var tags = new List<string>();
        if (!root.TryGetProperty("tags", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return tags;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new PlanError("tags", $"must be a list of strings (got {Describe(array)})"));
            return tags;
        }

        var index = 0;
        foreach (var tag in array.EnumerateArray())
        {
            if (tag.ValueKind == JsonValueKind.String && tag.GetString()!.Trim() is { Length: > 0 and <= 100 } text)
            {
                tags.Add(text);
            }
            else
            {
                errors.Add(new PlanError($"tags[{index}]", "must be a string of 1 to 100 characters"));
            }

            index++;
        }

        return tags;
    }

    private static string? RequiredId(JsonElement element, string path, List<PlanError> errors)
    {
        var id = RequiredText(element, "id", path, 63, errors);
        if (id is not null && !IsValidId(id))
        {
            errors.Add(new PlanError($"{path}.id", $"\"{id}\" is not an id: {IdRule}"));
            return null;
        }

        return id;
    }

    private static string? RequiredText(JsonElement element, string field, string path, int maxLength, List<PlanError> errors)
    {
        var where = $"{path}.{field}";
        if (!element.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new PlanError(where, "required"));
            return null;
        }

        return Text(value, where, maxLength, errors);
    }

    private static string? OptionalText(JsonElement element, string field, string where, int maxLength, List<PlanError> errors) =>
        element.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
            ? Text(value, where, maxLength, errors)
            : null;

    private static string? Text(JsonElement value, string where, int maxLength, List<PlanError> errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new PlanError(where, $"must be a string (got {Describe(value)})"));
            return null;
        }

        var text = value.GetString()!.Trim();
        if (text.Length == 0 || text.Length > maxLength)
        {
            errors.Add(new PlanError(where, $"must be 1 to {maxLength} characters (got {text.Length})"));
            return null;
        }

        return text;
    }

    private static void RejectUnknown(JsonElement element, string path, string[] known, List<PlanError> errors)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                var where = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                errors.Add(new PlanError(where, $"unknown field; expected one of: {string.Join(", ", known)}"));
            }
        }
    }

    private static void RequireUnique(IEnumerable<string> ids, string list, List<PlanError> errors)
    {
        foreach (var duplicate in ids.GroupBy(id => id).Where(g => g.Count() > 1))
        {
            errors.Add(new PlanError(list, $"the id \"{duplicate.Key}\" is used {duplicate.Count()} times; ids must be unique"));
        }
    }

    private static T? Error<T>(List<PlanError> errors, string path, string message)
        where T : struct
    {
        errors.Add(new PlanError(path, message));
        return null;
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => $"a list of {element.GetArrayLength()}",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
