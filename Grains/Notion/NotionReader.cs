using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pipeline.Grains.Notion;

/// <summary>
/// Reads Notion's JSON objects into our models. Lenient about what Pipeline does not use (unknown fields,
/// unknown property and block types), strict about what it does: a page without an id is a broken answer.
/// </summary>
internal static class NotionReader
{
    public static NotionPage Page(JsonElement page)
    {
        var parent = page.TryGetProperty("parent", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var properties = new Dictionary<string, NotionPropertyValue>(StringComparer.Ordinal);
        if (page.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in props.EnumerateObject())
            {
                properties[property.Name] = PropertyValue(property.Value);
            }
        }

        return new NotionPage(
            RequiredText(page, "id"),
            Time(page, "created_time"),
            Time(page, "last_edited_time"),
            InTrash(page),
            Text(page, "url"),
            Text(parent, "database_id"),
            Text(parent, "data_source_id"),
            properties);
    }

    public static NotionPropertyValue PropertyValue(JsonElement value)
    {
        var type = Text(value, "type") ?? "";
        var id = Text(value, "id");
        value.TryGetProperty(type, out var body);
        NotionPropertyValue read = type switch
        {
            "title" => new NotionTitle(PlainText(body)),
            "rich_text" => new NotionRichText(PlainText(body)),
            "select" => new NotionSelect(Text(body, "name")),
            "status" => new NotionStatus(Text(body, "name")),
            "number" => new NotionNumber(Number(body)),
            "url" => new NotionUrl(body.ValueKind == JsonValueKind.String ? body.GetString() : null),
            "date" => Date(body),
            "checkbox" => new NotionCheckbox(body.ValueKind == JsonValueKind.True),
            _ => new NotionOtherProperty(type),
        };
        return read with { Id = id };
    }

    public static NotionBlock Block(JsonElement block)
    {
        var type = Text(block, "type") ?? "";
        var body = block.TryGetProperty(type, out var b) && b.ValueKind == JsonValueKind.Object ? b : default;
        var richText = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("rich_text", out var rt) ? rt : default;
        return new NotionBlock(
            RequiredText(block, "id"),
            type,
            block.TryGetProperty("has_children", out var children) && children.ValueKind == JsonValueKind.True,
            InTrash(block),
            richText.ValueKind == JsonValueKind.Array ? PlainText(richText) : null,
            type == "code" ? Text(body, "language") : null);
    }

    public static NotionDatabase Database(JsonElement database) => new(
        RequiredText(database, "id"),
        database.TryGetProperty("title", out var title) ? PlainText(title) : "",
        InTrash(database),
        database.TryGetProperty("data_sources", out var sources) && sources.ValueKind == JsonValueKind.Array
            ? [.. sources.EnumerateArray().Select(s => new NotionDataSourceRef(RequiredText(s, "id"), Text(s, "name") ?? ""))]
            : [],
        Schema(database));

    public static NotionDataSource DataSource(JsonElement source) => new(
        RequiredText(source, "id"),
        source.TryGetProperty("title", out var title) ? PlainText(title) : Text(source, "name") ?? "",
        source.TryGetProperty("parent", out var parent) ? Text(parent, "database_id") : null,
        Schema(source));

    public static NotionList<T> List<T>(JsonElement list, Func<JsonElement, T> read, Func<JsonElement, bool> keep)
    {
        if (!list.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("a list without results");
        }

        var hasMore = list.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True;
        var next = Text(list, "next_cursor");
        return new NotionList<T>([.. results.EnumerateArray().Where(keep).Select(read)], hasMore && next is not null, next);
    }

    public static bool IsObject(JsonElement element, string kind) => Text(element, "object") == kind;

    private static Dictionary<string, NotionPropertySchema> Schema(JsonElement owner)
    {
        var schema = new Dictionary<string, NotionPropertySchema>(StringComparer.Ordinal);
        if (!owner.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return schema;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var type = Text(property.Value, "type") ?? "";
            var options = property.Value.TryGetProperty(type, out var body) && body.ValueKind == JsonValueKind.Object
                && body.TryGetProperty("options", out var list) && list.ValueKind == JsonValueKind.Array
                    ? list.EnumerateArray().Select(o => Text(o, "name")).OfType<string>().ToList()
                    : [];
            schema[property.Name] = new NotionPropertySchema(Text(property.Value, "id") ?? "", Text(property.Value, "name") ?? property.Name, type, options);
        }

        return schema;
    }

    private static bool InTrash(JsonElement element) =>
        (element.TryGetProperty("in_trash", out var trash) && trash.ValueKind == JsonValueKind.True)
        || (element.TryGetProperty("archived", out var archived) && archived.ValueKind == JsonValueKind.True);

    private static string PlainText(JsonElement richText)
    {
        if (richText.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        var text = new StringBuilder();
        foreach (var piece in richText.EnumerateArray())
        {
            text.Append(Text(piece, "plain_text") ?? (piece.TryGetProperty("text", out var t) ? Text(t, "content") : null));
        }

        return text.ToString();
    }

    private static decimal? Number(JsonElement number) =>
        number.ValueKind != JsonValueKind.Number ? null
        : number.TryGetDecimal(out var exact) ? exact
        : number.GetDouble() is var d && double.IsFinite(d) && Math.Abs(d) < (double)decimal.MaxValue ? (decimal)d
        : null;

    private static NotionDate Date(JsonElement date)
    {
        if (Text(date, "start") is not { } start)
        {
            return new NotionDate(null);
        }

        var dateOnly = !start.Contains('T', StringComparison.Ordinal);
        return new NotionDate(ParseTime(start), Text(date, "end") is { } end ? ParseTime(end) : null, dateOnly);
    }

    private static DateTimeOffset Time(JsonElement element, string name) =>
        Text(element, name) is { } text ? ParseTime(text) : default;

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new FormatException($"'{text}' is not an ISO 8601 time");

    private static string RequiredText(JsonElement element, string name) =>
        Text(element, name) is { Length: > 0 } text ? text : throw new FormatException($"an object without {name}");

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
