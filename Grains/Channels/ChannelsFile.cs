using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Workflow;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Grains.Channels;

/// <summary>
/// Reads channels.yaml (DESIGN §2, §5): the channels and the provider limits. An invalid file yields every
/// error found, each with its 1-based line and column, and no document, so the configuration in force stays.
/// </summary>
public static partial class ChannelsFile
{
    private const string ProvidersKey = "providers";
    private const string ChannelsKey = "channels";
    private const string YouTubePrefix = "youtube:";

    private static readonly string[] TopLevelKeys = [ProvidersKey, ChannelsKey];

    private static readonly string[] ChannelKeys =
        ["id", "name", "max_concurrent_videos", "weight", "auto_approve", "keep_files", "provider_caps", "notion", "youtube"];

    private static readonly string[] LimitKeys =
        ["concurrency", "requests_per_second", "units_per_day", "uploads_per_day", "timeout_seconds", "reset_time_zone", "reset_time"];

    private static readonly string[] NamedProviders = ["gemini", "kling", "elevenlabs", "notion"];

    private static readonly Dictionary<string, ReviewGate> Gates = new(StringComparer.Ordinal)
    {
        ["assets"] = ReviewGate.Assets,
        ["video"] = ReviewGate.Video,
        ["audio"] = ReviewGate.Audio,
        ["final"] = ReviewGate.Final,
    };

    /// <summary>The limits of DESIGN §5, in force for every provider channels.yaml does not list.</summary>
    public static IReadOnlyList<ProviderLimit> DefaultProviders { get; } =
    [
        new("gemini", Concurrency: 12, TimeoutSeconds: 120),
        new("kling", Concurrency: 8, TimeoutSeconds: 600),
        new("elevenlabs", Concurrency: 6, TimeoutSeconds: 120),
        new("notion", RequestsPerSecond: 3),
    ];

    /// <summary>
    /// What a <c>youtube:&lt;project&gt;</c> entry has unless it says otherwise: a Cloud project's default
    /// quota, which resets at midnight Pacific time.
    /// </summary>
    public static ProviderLimit YouTubeDefaults { get; } =
        new(YouTubePrefix, UnitsPerDay: 10_000, ResetTimeZone: "America/Los_Angeles");

    /// <summary>Reads channels.yaml from disk.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The document, or the errors; a file that cannot be read is one error at line 0, column 0.</returns>
    public static ChannelsParseResult Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        // Relative paths depend on the working directory, so the message names the file actually looked for.
        var fullPath = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return FileError($"cannot read {fullPath}: the file does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return FileError($"cannot read {fullPath}: {e.Message}");
        }

        return Parse(text);
    }

    /// <summary>Reads channels.yaml's text.</summary>
    /// <param name="yaml">The text.</param>
    /// <returns>The document, or every error found.</returns>
    public static ChannelsParseResult Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);

        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yaml));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (AnchorNotFoundException e)
        {
            return ChannelsParseResult.Invalid([UndefinedAlias(yaml) ?? SyntaxError(e)]);
        }
        catch (YamlException e)
        {
            return ChannelsParseResult.Invalid([SyntaxError(e)]);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these instead of a YamlException on some malformed input (an unclosed "[" for one);
            // the scanner has stopped where it could not go on.
            var at = scanner.CurrentPosition;
            return ChannelsParseResult.Invalid(
            [
                new ConfigError(
                    (int)at.Line,
                    (int)at.Column,
                    "YAML syntax error: cannot read the text here (an unclosed \"[\", \"{\" or quote above is the usual cause)"),
            ]);
        }

        var reader = new YamlNodeReader();
        var document = Read(stream, reader);
        return reader.Errors.Count > 0 || document is null
            ? ChannelsParseResult.Invalid([.. reader.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column)])
            : ChannelsParseResult.Valid(document);
    }

    private static ChannelsParseResult FileError(string message) =>
        ChannelsParseResult.Invalid([new ConfigError(0, 0, message)]);

    private static ConfigError SyntaxError(YamlException e)
    {
        // The representation model reports a repeated key as a bare YamlException "Duplicate key <key>".
        const string DuplicateKey = "Duplicate key ";
        var message = e.GetType() == typeof(YamlException) && e.Message.StartsWith(DuplicateKey, StringComparison.Ordinal)
            ? $"duplicate key \"{e.Message[DuplicateKey.Length..]}\"; a key may appear only once in a mapping"
            : $"YAML syntax error: {e.Message}";
        return new ConfigError((int)e.Start.Line, (int)e.Start.Column, message);
    }

    /// <summary>The first alias with no anchor before it: YamlDotNet reports it at the start of the file instead.</summary>
    private static ConfigError? UndefinedAlias(string yaml)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var parser = new Parser(new StringReader(yaml));
        try
        {
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case AnchorAlias alias when !anchors.Contains(alias.Value.Value):
                        return new ConfigError(
                            (int)alias.Start.Line,
                            (int)alias.Start.Column,
                            $"YAML syntax error: the alias \"*{alias.Value.Value}\" refers to no anchor \"&{alias.Value.Value}\" defined before it");
                    case NodeEvent { Anchor.IsEmpty: false } node:
                        anchors.Add(node.Anchor.Value);
                        break;
                }
            }
        }
        catch (YamlException)
        {
            // Only the representation model failed before; if the parser fails too, the caller's message stands.
        }

        return null;
    }

    private static ChannelsDocument? Read(YamlStream stream, YamlNodeReader reader)
    {
        const string Expected = "a mapping with \"channels:\" (required) and \"providers:\" (optional)";
        if (stream.Documents.Count == 0 || YamlNodeReader.IsNull(stream.Documents[0].RootNode))
        {
            reader.Error(1, 1, string.Empty, $"the file is empty; expected {Expected}");
            return null;
        }

        foreach (var extra in stream.Documents.Skip(1))
        {
            reader.Error(extra.RootNode, string.Empty, "a second YAML document; channels.yaml holds one (remove the \"---\" before this)");
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var node = stream.Documents[0].RootNode;
            reader.Error(node, string.Empty, $"expected {Expected}, got {YamlNodeReader.Describe(node)}");
            return null;
        }

        var keys = reader.Keys(root, string.Empty, TopLevelKeys);
        var providers = ReadProviders(keys.GetValueOrDefault(ProvidersKey), reader);
        var channels = ReadChannels(root, keys.GetValueOrDefault(ChannelsKey), reader);
        AddYouTubeProjects(providers, channels);
        return new ChannelsDocument(channels, providers);
    }

    private static List<ChannelConfig> ReadChannels(YamlMappingNode root, YamlNode? node, YamlNodeReader reader)
    {
        const string Expected = "a list of at least one channel (each item starting with \"- id:\")";
        var channels = new List<ChannelConfig>();
        if (node is null)
        {
            reader.Error(root, string.Empty, $"missing required key \"{ChannelsKey}\": {Expected}");
            return channels;
        }

        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            var got = node is YamlSequenceNode ? "an empty list" : YamlNodeReader.Describe(node);
            reader.Error(node, ChannelsKey, $"expected {Expected}, got {got}");
            return channels;
        }

        var idLines = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"{ChannelsKey}[{i}]";
            if (list.Children[i] is not YamlMappingNode channel)
            {
                reader.Error(
                    list.Children[i],
                    path,
                    $"expected a channel (a mapping with id, name, …), got {YamlNodeReader.Describe(list.Children[i])}");
                continue;
            }

            if (ReadChannel(channel, path, idLines, reader) is { } config)
            {
                channels.Add(config);
            }
        }

        return channels;
    }

    private static ChannelConfig? ReadChannel(
        YamlMappingNode channel, string path, Dictionary<string, long> idLines, YamlNodeReader reader)
    {
        var keys = reader.Keys(channel, path, ChannelKeys);

        var id = RequiredText(channel, keys, "id", path, "an id (lowercase letters, digits and dashes)", reader);
        if (id is not null)
        {
            var idNode = keys["id"];
            if (!ChannelId().IsMatch(id))
            {
                reader.Error(
                    idNode,
                    At("id"),
                    "expected an id of lowercase letters, digits and dashes, 1 to 63 characters, not starting with a dash"
                    + $" (it names folders), got {YamlNodeReader.Describe(idNode)}");
                id = null;
            }
            else if (idLines.TryGetValue(id, out var firstLine))
            {
                reader.Error(idNode, At("id"), $"duplicate id \"{id}\"; line {firstLine} already uses it");
            }
            else
            {
                idLines[id] = idNode.Start.Line;
            }
        }

        var name = RequiredText(channel, keys, "name", path, "a display name", reader);
        if (name is not null && string.IsNullOrWhiteSpace(name))
        {
            reader.Error(keys["name"], At("name"), $"expected a display name, got {YamlNodeReader.Describe(keys["name"])}");
            name = null;
        }

        var maxConcurrent = reader.Int(keys.GetValueOrDefault("max_concurrent_videos"), At("max_concurrent_videos"), 1, 100);
        var weight = reader.Int(keys.GetValueOrDefault("weight"), At("weight"), 1, 100);
        var autoApprove = ReadGates(keys.GetValueOrDefault("auto_approve"), At("auto_approve"), reader);
        var keepFiles = reader.Bool(keys.GetValueOrDefault("keep_files"), At("keep_files"));
        var caps = ReadCaps(keys.GetValueOrDefault("provider_caps"), At("provider_caps"), reader);
        var notion = ReadNotion(keys.GetValueOrDefault("notion"), At("notion"), reader);
        var youTube = ReadYouTube(keys.GetValueOrDefault(YouTubeKey), At(YouTubeKey), reader);

        return id is null || name is null
            ? null
            : new ChannelConfig(id, name, maxConcurrent ?? 1, weight ?? 1, autoApprove, keepFiles ?? false, ProviderCaps: caps, YouTube: youTube, Notion: notion);

        string At(string key) => YamlNodeReader.Child(path, key);
    }

    private static string? RequiredText(
        YamlMappingNode mapping, Dictionary<string, YamlNode> keys, string key, string path, string expected, YamlNodeReader reader)
    {
        if (keys.TryGetValue(key, out var node))
        {
            return reader.Text(node, YamlNodeReader.Child(path, key), expected);
        }

        reader.Error(mapping, path, $"missing required key \"{key}\": {expected}");
        return null;
    }

    private static List<ReviewGate> ReadGates(YamlNode? node, string path, YamlNodeReader reader)
    {
        var gates = new List<ReviewGate>();
        var expected = $"a list of review gates from {string.Join(", ", Gates.Keys)}";
        if (node is null || YamlNodeReader.IsNull(node))
        {
            return gates;
        }

        if (node is not YamlSequenceNode list)
        {
            reader.Error(node, path, $"expected {expected}, e.g. [assets, video], got {YamlNodeReader.Describe(node)}");
            return gates;
        }

        for (var i = 0; i < list.Children.Count; i++)
        {
            var item = list.Children[i];
            var itemPath = $"{path}[{i}]";
            if (reader.Text(item, itemPath, $"a review gate ({string.Join(", ", Gates.Keys)})") is not { } text)
            {
                continue;
            }

            if (!Gates.TryGetValue(text, out var gate))
            {
                reader.Error(item, itemPath, YamlNodeReader.UnknownName($"unknown review gate \"{text}\"", text, [.. Gates.Keys]));
            }
            else if (gates.Contains(gate))
            {
                reader.Error(item, itemPath, $"\"{text}\" is listed twice");
            }
            else
            {
                gates.Add(gate);
            }
        }

        return gates;
    }

    /// <summary>provider_caps: the most slots of a provider the channel may hold at once.</summary>
    private static Dictionary<string, int>? ReadCaps(YamlNode? node, string path, YamlNodeReader reader)
    {
        if (node is null || YamlNodeReader.IsNull(node))
        {
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            reader.Error(node, path, $"expected a mapping from provider to the most slots this channel may hold at once, e.g. {{ kling: 3 }}, got {YamlNodeReader.Describe(node)}");
            return null;
        }

        var caps = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            if (reader.KeyName(key, path) is not { } provider)
            {
                continue;
            }

            var capPath = YamlNodeReader.Child(path, provider);
            if (ProviderNameProblem(provider) is { } problem)
            {
                reader.Error(key, capPath, problem);
            }
            else if (reader.Int(value, capPath, 1, 1000) is { } cap)
            {
                caps[provider] = cap;
            }
        }

        return caps;
    }

    private static List<ProviderLimit> ReadProviders(YamlNode? node, YamlNodeReader reader)
    {
        var given = new Dictionary<string, ProviderLimit>(StringComparer.Ordinal);
        if (node is YamlMappingNode providers)
        {
            foreach (var (key, value) in providers.Children)
            {
                if (reader.KeyName(key, ProvidersKey) is not { } name)
                {
                    continue;
                }

                var path = YamlNodeReader.Child(ProvidersKey, name);
                if (ProviderNameProblem(name) is { } problem)
                {
                    reader.Error(key, path, problem);
                }
                else if (ReadLimit(name, value, path, reader) is { } limit)
                {
                    given[name] = limit;
                }
            }
        }
        else if (node is not null && !YamlNodeReader.IsNull(node))
        {
            reader.Error(
                node,
                ProvidersKey,
                $"expected a mapping from provider ({string.Join(", ", NamedProviders)} or youtube:<project>) to its limits,"
                + $" got {YamlNodeReader.Describe(node)}");
        }

        // Every known provider is in the result, so callers see the limits in force without knowing the defaults.
        var limits = DefaultProviders
            .Select(d => given.TryGetValue(d.Provider, out var set) ? Merge(set, d) : d)
            .ToList();
        limits.AddRange(given.Values
            .Where(l => l.Provider.StartsWith(YouTubePrefix, StringComparison.Ordinal))
            .Select(l => Merge(l, YouTubeDefaults)));
        return limits;
    }

    private static string? ProviderNameProblem(string name)
    {
        if (NamedProviders.Contains(name, StringComparer.Ordinal))
        {
            return null;
        }

        if (name.StartsWith(YouTubePrefix, StringComparison.Ordinal))
        {
            return ChannelId().IsMatch(name[YouTubePrefix.Length..])
                ? null
                : $"the Google Cloud project after \"{YouTubePrefix}\" must be lowercase letters, digits and dashes";
        }

        if (name == "youtube")
        {
            return "YouTube limits belong to a Google Cloud project: write youtube:<project>, e.g. \"youtube:default\"";
        }

        return YamlNodeReader.UnknownName("unknown provider", name, [.. NamedProviders, "youtube:<project>"]);
    }

    private static ProviderLimit? ReadLimit(string provider, YamlNode node, string path, YamlNodeReader reader)
    {
        if (node is not YamlMappingNode mapping)
        {
            reader.Error(node, path, $"expected a mapping of limits ({string.Join(", ", LimitKeys)}), got {YamlNodeReader.Describe(node)}");
            return null;
        }

        var keys = reader.Keys(mapping, path, LimitKeys);
        return new ProviderLimit(
            provider,
            Concurrency: Int("concurrency", 1000),
            RequestsPerSecond: reader.PositiveNumber(keys.GetValueOrDefault("requests_per_second"), At("requests_per_second")),
            UnitsPerDay: Int("units_per_day", int.MaxValue),
            UploadsPerDay: Int("uploads_per_day", int.MaxValue),
            TimeoutSeconds: Int("timeout_seconds", 86_400),
            ResetTimeZone: ReadTimeZone(keys.GetValueOrDefault("reset_time_zone"), At("reset_time_zone"), reader),
            ResetTime: ReadTimeOfDay(keys.GetValueOrDefault("reset_time"), At("reset_time"), reader));

        string At(string key) => YamlNodeReader.Child(path, key);
        int? Int(string key, int max) => reader.Int(keys.GetValueOrDefault(key), At(key), 1, max);
    }

    private static string? ReadTimeZone(YamlNode? node, string path, YamlNodeReader reader)
    {
        const string Expected = "an IANA time zone such as America/Los_Angeles";
        if (node is null || reader.Text(node, path, Expected) is not { } id)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            reader.Error(node, path, $"expected {Expected}, got {YamlNodeReader.Describe(node)}");
            return null;
        }

        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(id);
            return id;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            // With InvariantGlobalization, .NET on Linux resolves zones only from the tzdata files; without them
            // every zone is "unknown", which would send the operator hunting for a typo that is not there.
            reader.Error(node, path, TimeZoneDataDirectory() is { } missing
                ? $"cannot resolve the time zone {YamlNodeReader.Describe(node)}: this machine has no time zone data"
                  + $" ({missing} is missing or empty; install the tzdata package)"
                : $"unknown time zone {YamlNodeReader.Describe(node)}; expected {Expected}");
            return null;
        }
    }

    private static TimeOnly? ReadTimeOfDay(YamlNode? node, string path, YamlNodeReader reader)
    {
        const string Expected = "a time of day as HH:mm or HH:mm:ss, e.g. \"00:00\"";
        if (node is null || reader.Text(node, path, Expected) is not { } text)
        {
            return null;
        }

        if (TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        reader.Error(node, path, $"expected {Expected}, got {YamlNodeReader.Describe(node)}");
        return null;
    }

    /// <summary>Where the time zone data should be, when it is not there; null when it is (or on Windows).</summary>
    private static string? TimeZoneDataDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var directory = Environment.GetEnvironmentVariable("TZDIR") is { Length: > 0 } tzdir ? tzdir : "/usr/share/zoneinfo";
        return Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any() ? null : directory;
    }

    /// <summary>A provider's limits as written, with the defaults for whatever it leaves out.</summary>
    private static ProviderLimit Merge(ProviderLimit set, ProviderLimit defaults) => set with
    {
        Concurrency = set.Concurrency ?? defaults.Concurrency,
        RequestsPerSecond = set.RequestsPerSecond ?? defaults.RequestsPerSecond,
        UnitsPerDay = set.UnitsPerDay ?? defaults.UnitsPerDay,
        UploadsPerDay = set.UploadsPerDay ?? defaults.UploadsPerDay,
        TimeoutSeconds = set.TimeoutSeconds ?? defaults.TimeoutSeconds,
        ResetTimeZone = set.ResetTimeZone ?? defaults.ResetTimeZone,
        ResetTime = set.ResetTime ?? defaults.ResetTime,
    };

    // Channel ids and Cloud project names end up in paths and limiter keys.
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex ChannelId();
}
