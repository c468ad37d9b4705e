using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Tests.Fakes;

/// <summary>The fake's content: databases, data sources, pages, blocks; how tests make and read them; the page routes.</summary>
public sealed partial class FakeNotion
{
    /// <summary>The person whose edits tests make.</summary>
    public const string PersonId = "c0ffee00-0000-4000-8000-000000000001";

    /// <summary>Our integration's bot user: edits made through the API are its.</summary>
    public const string BotUserId = "b0700000-0000-4000-8000-000000000002";

    private const int MaxTextLength = 2_000;
    private const int MaxArrayLength = 100;

    private readonly Dictionary<string, DatabaseState> _databases = [];
    private readonly Dictionary<string, DataSourceState> _dataSources = [];
    private readonly Dictionary<string, PageState> _pages = [];
    private long _sequence;

    /// <summary>A Pipeline channel's database as DESIGN.md describes it, Status a <c>status</c> property with the 26 options.</summary>
    public static IReadOnlyList<FakeNotionProperty> PipelineSchema { get; } =
    [
        new("Name", "title"),
        new("Status", "status", [.. WorkflowDefinition.Statuses.Select(s => s.NotionName)]),
        new("Topic", "rich_text"),
        new("Story Direction", "rich_text"),
        new("Priority", "select", ["Low", "Normal", "High"]),
        new("Error", "rich_text"),
        new("Retry Count", "number"),
        new("Cost", "number"),
        new("YouTube URL", "url"),
        new("Updated", "date"),
        new("Auto Approve", "checkbox"),
    ];

    /// <summary>Makes a database with one data source of the given schema (one property must be the title).</summary>
    public FakeNotionDatabase AddDatabase(string title, IReadOnlyList<FakeNotionProperty>? schema = null)
    {
        schema ??= PipelineSchema;
        if (schema.Count(p => p.Type == "title") != 1)
        {
            throw new ArgumentException("A data source has exactly one title property.", nameof(schema));
        }

        lock (_state)
        {
            var database = new DatabaseState(NewId(), title, Clock());
            var source = new DataSourceState(NewId(), database, title);
            var n = 0;
            foreach (var property in schema)
            {
                var id = property.Type == "title" ? "title" : $"{(char)('a' + n % 26)}%3A{n}";
                n++;
                source.Properties.Add(new Schema(id, property.Name, property.Type,
                    [.. (property.Options ?? []).Select((o, i) => new Option(NewId(), o, Colors[i % Colors.Length]))]));
            }

            database.Sources.Add(source);
            _databases[database.Id] = database;
            _dataSources[source.Id] = source;
            return new FakeNotionDatabase(database.Id, source.Id);
        }
    }

    /// <summary>Adds another data source to a database (making it a multi-source database).</summary>
    public string AddDataSource(string databaseId, string name, IReadOnlyList<FakeNotionProperty> schema)
    {
        var made = AddDatabase(name, schema);
        lock (_state)
        {
            var source = _dataSources[made.DataSourceId];
            _databases.Remove(made.DatabaseId);
            var database = _databases[Normalize(databaseId)];
            source.Database = database;
            database.Sources.Add(source);
            return source.Id;
        }
    }

    /// <summary>
    /// Makes a page (a row) as a person would in the Notion app. Values by property name: text for title,
    /// rich_text, select, status and url; a number; a bool for checkbox; a DateTimeOffset for date; null for empty.
    /// A plan, when given, becomes a paragraph and a <c>json</c> code block in the page's content.
    /// </summary>
    public string AddPage(string dataSourceId, IReadOnlyDictionary<string, object?> values, string? planJson = null)
    {
        lock (_state)
        {
            var source = _dataSources[Normalize(dataSourceId)];
            var now = Clock();
            var page = new PageState(NewId(), source, ++_sequence, now);
            foreach (var schema in source.Properties)
            {
                page.Values[schema.Name] = Empty(schema.Type);
            }

            foreach (var (name, value) in values)
            {
                var schema = source.Find(name) ?? throw new ArgumentException($"{name} is not a property of {source.Name}.");
                page.Values[schema.Name] = FromClr(schema, value);
            }

            if (planJson is not null)
            {
                page.Blocks.Add(NewBlock("paragraph", "The production plan:", null, now));
                page.Blocks.Add(NewBlock("code", planJson, "json", now));
            }

            _pages[page.Id] = page;
            RecordEvent("page.created", page, PersonId, "person", []);
            return page.Id;
        }
    }

    /// <summary>Adds a block to a page's content (a code block needs a language).</summary>
    public string AddBlock(string pageId, string type, string text, string? language = null)
    {
        lock (_state)
        {
            var page = _pages[Normalize(pageId)];
            var block = NewBlock(type, text, language, Clock());
            page.Blocks.Add(block);
            return block.Id;
        }
    }

    /// <summary>A person edits some properties in the Notion app (values as for <see cref="AddPage"/>).</summary>
    public void EditAsPerson(string pageId, IReadOnlyDictionary<string, object?> values)
    {
        lock (_state)
        {
            var page = _pages[Normalize(pageId)];
            var ids = new List<string>();
            foreach (var (name, value) in values)
            {
                var schema = page.Source.Find(name) ?? throw new ArgumentException($"{name} is not a property of {page.Source.Name}.");
                page.Values[schema.Name] = FromClr(schema, value);
                ids.Add(schema.Id);
            }

            Touch(page, PersonId);
            RecordEvent("page.properties_updated", page, PersonId, "person", ids);
        }
    }

    /// <summary>A person moves a page to the trash.</summary>
    public void TrashAsPerson(string pageId)
    {
        lock (_state)
        {
            var page = _pages[Normalize(pageId)];
            page.InTrash = true;
            Touch(page, PersonId);
            RecordEvent("page.deleted", page, PersonId, "person", []);
        }
    }

    /// <summary>A property's value as text (title and rich text as plain text, select and status names, numbers, URLs, dates), or null when empty.</summary>
    public string? Text(string pageId, string property)
    {
        lock (_state)
        {
            var page = _pages[Normalize(pageId)];
            var schema = page.Source.Find(property) ?? throw new ArgumentException($"{property} is not a property.");
            var value = page.Values[schema.Name];
            return schema.Type switch
            {
                "title" or "rich_text" => PlainText(value) is { Length: > 0 } text ? text : null,
                "select" or "status" => value?["name"]?.GetValue<string>(),
                "date" => value?["start"]?.GetValue<string>(),
                _ => value?.ToJsonString() is { } json && json != "null" ? json.Trim('"') : null,
            };
        }
    }

    /// <summary>When the page was last edited, as Notion shows it (rounded down to the minute).</summary>
    public DateTimeOffset LastEditedTime(string pageId)
    {
        lock (_state)
        {
            return Minute(_pages[Normalize(pageId)].LastEdited);
        }
    }

    /// <summary>The ids of the pages of a data source, in creation order (trashed ones too).</summary>
    public IReadOnlyList<string> PageIds(string dataSourceId)
    {
        lock (_state)
        {
            var source = _dataSources[Normalize(dataSourceId)];
            return [.. _pages.Values.Where(p => p.Source == source).OrderBy(p => p.Sequence).Select(p => p.Id)];
        }
    }

    /// <summary>A property's id (what webhooks name).</summary>
    public string PropertyId(string dataSourceId, string property)
    {
        lock (_state)
        {
            return _dataSources[Normalize(dataSourceId)].Find(property)?.Id ?? throw new ArgumentException($"{property} is not a property.");
        }
    }

    private FakeResponse Route(RecordedRequest request, string version)
    {
        var segments = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var dataSources = string.CompareOrdinal(version, "2025-09-03") >= 0;
        return (request.Method, segments) switch
        {
            ("GET", ["v1", "databases", var id]) => GetDatabase(id, version, dataSources),
            ("POST", ["v1", "databases", var id, "query"]) when !dataSources => Query(request, version, DatabaseSource(id), "database", id),
            ("GET", ["v1", "data_sources", var id]) when dataSources => GetDataSource(id),
            ("POST", ["v1", "data_sources", var id, "query"]) when dataSources => Query(request, version, _dataSources.GetValueOrDefault(Normalize(id)), "data source", id),
            ("GET", ["v1", "pages", var id]) => FindPage(id) is { } page ? FakeResponse.Json(PageJson(page, version)) : NotFound("page", id),
            ("PATCH", ["v1", "pages", var id]) => FindPage(id) is { } page ? UpdatePage(page, request, version) : NotFound("page", id),
            ("GET", ["v1", "blocks", var id, "children"]) => BlockChildren(id, request, version),
            ("GET", ["v1", "users", "me"]) => FakeResponse.Json(new JsonObject
            {
                ["object"] = "user",
                ["id"] = BotUserId,
                ["name"] = "Pipeline",
                ["avatar_url"] = null,
                ["type"] = "bot",
                ["bot"] = new JsonObject { ["owner"] = new JsonObject { ["type"] = "workspace", ["workspace"] = true }, ["workspace_name"] = "Studio" },
            }),
            _ => Error(400, "invalid_request_url", "Invalid request URL."),
        };
    }

    private FakeResponse GetDatabase(string id, string version, bool dataSources)
    {
        if (!_databases.TryGetValue(Normalize(id), out var database))
        {
            return NotFound("database", id);
        }

        var json = new JsonObject
        {
            ["object"] = "database",
            ["id"] = database.Id,
            ["created_time"] = Format(Minute(database.Created)),
            ["last_edited_time"] = Format(Minute(database.Created)),
            ["title"] = RichText(database.Title),
            ["description"] = new JsonArray(),
            ["icon"] = null,
            ["cover"] = null,
            ["parent"] = new JsonObject { ["type"] = "workspace", ["workspace"] = true },
            ["is_inline"] = false,
            ["in_trash"] = false,
            ["is_locked"] = false,
            ["url"] = $"https://www.notion.so/{database.Id.Replace("-", "", StringComparison.Ordinal)}",
            ["public_url"] = null,
        };
        if (dataSources)
        {
            json["data_sources"] = new JsonArray([.. database.Sources.Select(s => (JsonNode)new JsonObject { ["id"] = s.Id, ["name"] = s.Name })]);
        }
        else if (database.Sources is [var only])
        {
            json["properties"] = SchemaJson(only);
        }
        else
        {
            // What Notion does to old clients once a database has several data sources.
            return Error(400, "validation_error", "Databases with multiple data sources are not supported in this API version.");
        }

        if (string.CompareOrdinal(version, "2026-03-11") < 0)
        {
            json["archived"] = false;
        }

        return FakeResponse.Json(json);
    }

    private FakeResponse GetDataSource(string id)
    {
        if (!_dataSources.TryGetValue(Normalize(id), out var source))
        {
            return NotFound("data source", id);
        }

        return FakeResponse.Json(new JsonObject
        {
            ["object"] = "data_source",
            ["id"] = source.Id,
            ["title"] = RichText(source.Name),
            ["description"] = new JsonArray(),
            ["parent"] = new JsonObject { ["type"] = "database_id", ["database_id"] = source.Database.Id },
            ["database_parent"] = new JsonObject { ["type"] = "workspace", ["workspace"] = true },
            ["in_trash"] = false,
            ["properties"] = SchemaJson(source),
        });
    }

    private DataSourceState? DatabaseSource(string databaseId) =>
        _databases.TryGetValue(Normalize(databaseId), out var database) && database.Sources is [var only] ? only : null;

    private PageState? FindPage(string id) => _pages.GetValueOrDefault(Normalize(id));

    private FakeResponse UpdatePage(PageState page, RecordedRequest request, string version)
    {
        if (ReadOnly)
        {
            return Error(403, "restricted_resource", "Insufficient permissions for this endpoint.");
        }

        JsonObject body;
        try
        {
            body = JsonNode.Parse(request.Body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            return Error(400, "invalid_json", $"Error parsing JSON body: {e.Message}");
        }

        var changes = new Dictionary<string, JsonNode?>();
        if (body["properties"] is { } properties)
        {
            if (properties is not JsonObject values)
            {
                return Error(400, "validation_error", "body failed validation: body.properties should be an object.");
            }

            foreach (var (key, value) in values)
            {
                var schema = page.Source.Find(key);
                if (schema is null)
                {
                    return Error(400, "validation_error", $"{key} is not a property that exists.");
                }

                var problem = ReadWrite(schema, value, out var stored);
                if (problem is not null)
                {
                    return Error(400, "validation_error", problem);
                }

                changes[schema.Name] = stored;
            }
        }

        bool? trash = null;
        foreach (var field in (string[])["in_trash", "archived"])
        {
            if (body[field] is not { } flag)
            {
                continue;
            }

            if (field == "archived" && string.CompareOrdinal(version, "2026-03-11") >= 0)
            {
                return Error(400, "validation_error", "body failed validation: body.archived is not a valid field in this version; use in_trash.");
            }

            if (flag.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Error(400, "validation_error", $"body failed validation: body.{field} should be a boolean.");
            }

            trash = flag.GetValue<bool>();
        }

        foreach (var (name, value) in changes)
        {
            page.Values[name] = value;
        }

        if (trash is { } t)
        {
            page.InTrash = t;
        }

        Touch(page, BotUserId);
        if (changes.Count > 0)
        {
            RecordEvent("page.properties_updated", page, BotUserId, "bot", [.. changes.Keys.Select(n => page.Source.Find(n)!.Id)]);
        }

        return FakeResponse.Json(PageJson(page, version));
    }

    // Checks one property value of a page update as Notion does, and gives the value to store.
    private static string? ReadWrite(Schema schema, JsonNode? value, out JsonNode? stored)
    {
        stored = null;
        if (value is not JsonObject wrapper || !wrapper.ContainsKey(schema.Type))
        {
            return $"{schema.Name} is expected to be {schema.Type}.";
        }

        var inner = wrapper[schema.Type];
        switch (schema.Type)
        {
            case "title" or "rich_text":
                if (inner is not JsonArray pieces)
                {
                    return $"body failed validation: body.properties.{schema.Name}.{schema.Type} should be an array.";
                }

                if (pieces.Count > MaxArrayLength)
                {
                    return $"body failed validation: body.properties.{schema.Name}.{schema.Type}.length should be ≤ `{MaxArrayLength}`, instead was `{pieces.Count}`.";
                }

                var text = new List<string>();
                foreach (var piece in pieces)
                {
                    var content = piece?["text"]?["content"];
                    if (content?.GetValueKind() != JsonValueKind.String)
                    {
                        return $"body failed validation: body.properties.{schema.Name}.{schema.Type}[{text.Count}].text.content should be a string.";
                    }

                    var s = content.GetValue<string>();
                    if (s.Length > MaxTextLength)
                    {
                        return $"body failed validation: body.properties.{schema.Name}.{schema.Type}[{text.Count}].text.content.length should be ≤ `{MaxTextLength}`, instead was `{s.Length}`.";
                    }

                    text.Add(s);
                }

                stored = new JsonArray([.. text.Select(t => (JsonNode)RichTextPiece(t))]);
                return null;
            case "select" or "status":
                if (inner is null)
                {
                    return null;
                }

                var name = inner["name"]?.GetValueKind() == JsonValueKind.String ? inner["name"]!.GetValue<string>() : null;
                var optionId = inner["id"]?.GetValueKind() == JsonValueKind.String ? inner["id"]!.GetValue<string>() : null;
                var option = schema.Options.FirstOrDefault(o => o.Name == name || o.Id == optionId);
                if (option is null && schema.Type == "status")
                {
                    return $"Invalid status option. Status option \"{name ?? optionId}\" does not exist.";
                }

                if (option is null)
                {
                    if (string.IsNullOrEmpty(name) || name.Contains(',', StringComparison.Ordinal))
                    {
                        return $"body failed validation: body.properties.{schema.Name}.select.name should be a non-empty string without commas.";
                    }

                    option = new Option(NewId(), name, Colors[schema.Options.Count % Colors.Length]);
                    schema.Options.Add(option);
                }

                stored = OptionJson(option);
                return null;
            case "number":
                if (inner is not null && inner.GetValueKind() != JsonValueKind.Number)
                {
                    return $"body failed validation: body.properties.{schema.Name}.number should be a number or `null`.";
                }

                stored = inner?.DeepClone();
                return null;
            case "url":
                if (inner is not null && inner.GetValueKind() != JsonValueKind.String)
                {
                    return $"body failed validation: body.properties.{schema.Name}.url should be a string or `null`.";
                }

                stored = inner?.DeepClone();
                return null;
            case "checkbox":
                if (inner?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return $"body failed validation: body.properties.{schema.Name}.checkbox should be a boolean.";
                }

                stored = inner.DeepClone();
                return null;
            case "date":
                if (inner is null)
                {
                    return null;
                }

                var start = inner["start"]?.GetValueKind() == JsonValueKind.String ? inner["start"]!.GetValue<string>() : null;
                var end = inner["end"]?.GetValueKind() == JsonValueKind.String ? inner["end"]!.GetValue<string>() : null;
                if (start is null || !IsTime(start) || (end is not null && !IsTime(end)))
                {
                    return $"body failed validation: body.properties.{schema.Name}.date.start should be an ISO 8601 date.";
                }

                stored = new JsonObject { ["start"] = start, ["end"] = end, ["time_zone"] = null };
                return null;
            default:
                return $"{schema.Name}: the fake does not write {schema.Type} properties.";
        }
    }

    private FakeResponse BlockChildren(string id, RecordedRequest request, string version)
    {
        List<BlockState> blocks;
        if (FindPage(id) is { } page)
        {
            blocks = page.Blocks;
        }
        else if (_pages.Values.SelectMany(p => p.Blocks).Any(b => b.Id == Normalize(id)))
        {
            blocks = [];
        }
        else
        {
            return NotFound("block", id);
        }

        var parentId = Normalize(id);
        return Paginate(
            blocks,
            request.Query.GetValueOrDefault("page_size") is { } size ? JsonValue.Create(int.TryParse(size, out var n) ? n : -1) : null,
            request.Query.GetValueOrDefault("start_cursor"),
            b => BlockJson(b, parentId, version),
            "block");
    }

    private JsonObject PageJson(PageState page, string version)
    {
        var parent = string.CompareOrdinal(version, "2025-09-03") >= 0
            ? new JsonObject { ["type"] = "data_source_id", ["data_source_id"] = page.Source.Id, ["database_id"] = page.Source.Database.Id }
            : new JsonObject { ["type"] = "database_id", ["database_id"] = page.Source.Database.Id };
        var properties = new JsonObject();
        foreach (var schema in page.Source.Properties)
        {
            properties[schema.Name] = new JsonObject
            {
                ["id"] = schema.Id,
                ["type"] = schema.Type,
                [schema.Type] = page.Values[schema.Name]?.DeepClone(),
            };
        }

        var json = new JsonObject
        {
            ["object"] = "page",
            ["id"] = page.Id,
            ["created_time"] = Format(Minute(page.Created)),
            ["last_edited_time"] = Format(Minute(page.LastEdited)),
            ["created_by"] = User(PersonId),
            ["last_edited_by"] = User(page.LastEditedBy),
            ["cover"] = null,
            ["icon"] = null,
            ["parent"] = parent,
            ["in_trash"] = page.InTrash,
            ["is_locked"] = false,
            ["properties"] = properties,
            ["url"] = $"https://www.notion.so/{page.Id.Replace("-", "", StringComparison.Ordinal)}",
            ["public_url"] = null,
        };
        if (string.CompareOrdinal(version, "2026-03-11") < 0)
        {
            json["archived"] = page.InTrash;
        }

        return json;
    }

    private static JsonObject BlockJson(BlockState block, string pageId, string version)
    {
        var json = new JsonObject
        {
            ["object"] = "block",
            ["id"] = block.Id,
            ["parent"] = new JsonObject { ["type"] = "page_id", ["page_id"] = pageId },
            ["created_time"] = Format(Minute(block.Created)),
            ["last_edited_time"] = Format(Minute(block.Created)),
            ["created_by"] = User(PersonId),
            ["last_edited_by"] = User(PersonId),
            ["has_children"] = false,
            ["in_trash"] = false,
            ["type"] = block.Type,
            [block.Type] = block.Body.DeepClone(),
        };
        if (string.CompareOrdinal(version, "2026-03-11") < 0)
        {
            json["archived"] = false;
        }

        return json;
    }

    private static JsonObject SchemaJson(DataSourceState source)
    {
        var json = new JsonObject();
        foreach (var schema in source.Properties)
        {
            JsonObject config = schema.Type switch
            {
                "select" => new JsonObject { ["options"] = new JsonArray([.. schema.Options.Select(o => (JsonNode)OptionJson(o))]) },
                "status" => new JsonObject
                {
                    ["options"] = new JsonArray([.. schema.Options.Select(o => (JsonNode)OptionJson(o))]),
                    ["groups"] = new JsonArray(),
                },
                "number" => new JsonObject { ["format"] = "number" },
                _ => [],
            };
            json[schema.Name] = new JsonObject { ["id"] = schema.Id, ["name"] = schema.Name, ["type"] = schema.Type, [schema.Type] = config };
        }

        return json;
    }

    private static FakeResponse NotFound(string kind, string id) =>
        Error(404, "object_not_found", $"Could not find {kind} with ID: {id}. Make sure the relevant pages and databases are shared with your integration.");

    private static JsonNode? FromClr(Schema schema, object? value) => (schema.Type, value) switch
    {
        (_, null) => Empty(schema.Type),
        ("title" or "rich_text", string text) => new JsonArray([.. Chunks(text).Select(t => (JsonNode)RichTextPiece(t))]),
        ("select" or "status", string name) => OptionJson(schema.Options.FirstOrDefault(o => o.Name == name)
            ?? (schema.Type == "select" ? AddOption(schema, name) : throw new ArgumentException($"{name} is not an option of {schema.Name}."))),
        ("url", string url) => url,
        ("number", IConvertible number) => JsonValue.Create(Convert.ToDecimal(number, CultureInfo.InvariantCulture)),
        ("checkbox", bool ticked) => ticked,
        ("date", DateTimeOffset time) => new JsonObject { ["start"] = Format(time), ["end"] = null, ["time_zone"] = null },
        ("date", string start) => new JsonObject { ["start"] = start, ["end"] = null, ["time_zone"] = null },
        _ => throw new ArgumentException($"{value} does not fit {schema.Name} ({schema.Type})."),
    };

    private static Option AddOption(Schema schema, string name)
    {
        var option = new Option(NewId(), name, Colors[schema.Options.Count % Colors.Length]);
        schema.Options.Add(option);
        return option;
    }

    private static JsonNode? Empty(string type) => type switch
    {
        "title" or "rich_text" => new JsonArray(),
        "checkbox" => false,
        _ => null,
    };

    private BlockState NewBlock(string type, string text, string? language, DateTimeOffset now)
    {
        var body = new JsonObject { ["rich_text"] = new JsonArray([.. Chunks(text).Select(t => (JsonNode)RichTextPiece(t))]) };
        if (type == "code")
        {
            body["caption"] = new JsonArray();
            body["language"] = language ?? "plain text";
        }
        else
        {
            body["color"] = "default";
        }

        return new BlockState(NewId(), type, body, now);
    }

    // Notion splits long text into pieces of at most 2,000 characters.
    private static IEnumerable<string> Chunks(string text)
    {
        for (var at = 0; at < text.Length; at += MaxTextLength)
        {
            yield return text.Substring(at, Math.Min(MaxTextLength, text.Length - at));
        }
    }

    private static JsonObject RichTextPiece(string text) => new()
    {
        ["type"] = "text",
        ["text"] = new JsonObject { ["content"] = text, ["link"] = null },
        ["annotations"] = new JsonObject
        {
            ["bold"] = false,
            ["italic"] = false,
            ["strikethrough"] = false,
            ["underline"] = false,
            ["code"] = false,
            ["color"] = "default",
        },
        ["plain_text"] = text,
        ["href"] = null,
    };

    private static JsonArray RichText(string text) => new([.. Chunks(text).Select(t => (JsonNode)RichTextPiece(t))]);

    private static string PlainText(JsonNode? richText) =>
        richText is JsonArray pieces ? string.Concat(pieces.Select(p => p?["plain_text"]?.GetValue<string>())) : "";

    private static JsonObject OptionJson(Option option) => new() { ["id"] = option.Id, ["name"] = option.Name, ["color"] = option.Color };

    private static JsonObject User(string id) => new() { ["object"] = "user", ["id"] = id };

    private void Touch(PageState page, string editor)
    {
        var now = Clock();
        page.LastEdited = now > page.LastEdited ? now : page.LastEdited;
        page.LastEditedBy = editor;
    }

    private static bool IsTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    private static DateTimeOffset Minute(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
    }

    private static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string NewId() => Guid.NewGuid().ToString();

    // Notion takes ids with or without dashes.
    private static string Normalize(string id) => Guid.TryParse(id, out var guid) ? guid.ToString() : id;

    private static readonly string[] Colors = ["default", "gray", "brown", "orange", "yellow", "green", "blue", "purple", "pink", "red"];

    private sealed class DatabaseState(string id, string title, DateTimeOffset created)
    {
        public string Id { get; } = id;

        public string Title { get; } = title;

        public DateTimeOffset Created { get; } = created;

        public List<DataSourceState> Sources { get; } = [];
    }

    private sealed class DataSourceState(string id, DatabaseState database, string name)
    {
        public string Id { get; } = id;

        public DatabaseState Database { get; set; } = database;

        public string Name { get; } = name;

        public List<Schema> Properties { get; } = [];

        // Filters, sorts and updates name a property by its name or its id (raw or URL-decoded).
        public Schema? Find(string nameOrId) =>
            Properties.FirstOrDefault(p => p.Name == nameOrId)
            ?? Properties.FirstOrDefault(p => p.Id == nameOrId || Uri.UnescapeDataString(p.Id) == nameOrId);
    }

    private sealed record Schema(string Id, string Name, string Type, List<Option> Options);

    private sealed record Option(string Id, string Name, string Color);

    private sealed class PageState(string id, DataSourceState source, long sequence, DateTimeOffset created)
    {
        public string Id { get; } = id;

        public DataSourceState Source { get; } = source;

        public long Sequence { get; } = sequence;

        public DateTimeOffset Created { get; } = created;

        public DateTimeOffset LastEdited { get; set; } = created;

        public string LastEditedBy { get; set; } = PersonId;

        public bool InTrash { get; set; }

        public Dictionary<string, JsonNode?> Values { get; } = [];

        public List<BlockState> Blocks { get; } = [];
    }

    private sealed record BlockState(string Id, string Type, JsonObject Body, DateTimeOffset Created);
}
