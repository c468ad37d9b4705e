using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipeline.Grains.Notion;

/// <summary>
/// A query filter, built from the conditions Pipeline uses and combined with <see cref="And"/> and
/// <see cref="Or"/> (Notion allows two levels of nesting). The property type in a condition must be the
/// property's real type: a Status column of type <c>status</c> needs <see cref="StatusEquals"/>, one of
/// type <c>select</c> needs <see cref="SelectEquals"/>, else Notion answers validation_error.
/// </summary>
public sealed class NotionFilter
{
    private readonly Func<JsonObject> _build;

    private NotionFilter(Func<JsonObject> build) => _build = build;

    /// <summary>A status property is the option named.</summary>
    /// <param name="property">The property's name or id.</param>
    /// <param name="option">The option's name.</param>
    /// <returns>The filter.</returns>
    public static NotionFilter StatusEquals(string property, string option) => Property(property, "status", "equals", option);

    /// <summary>A select property is the option named.</summary>
    /// <param name="property">The property's name or id.</param>
    /// <param name="option">The option's name.</param>
    /// <returns>The filter.</returns>
    public static NotionFilter SelectEquals(string property, string option) => Property(property, "select", "equals", option);

    /// <summary>A rich-text property is exactly this text.</summary>
    /// <param name="property">The property's name or id.</param>
    /// <param name="text">The text.</param>
    /// <returns>The filter.</returns>
    public static NotionFilter RichTextEquals(string property, string text) => Property(property, "rich_text", "equals", text);

    /// <summary>The title is exactly this text.</summary>
    /// <param name="property">The title property's name.</param>
    /// <param name="text">The text.</param>
    /// <returns>The filter.</returns>
    public static NotionFilter TitleEquals(string property, string text) => Property(property, "title", "equals", text);

    /// <summary>A checkbox property is ticked or not.</summary>
    /// <param name="property">The property's name or id.</param>
    /// <param name="value">Ticked.</param>
    /// <returns>The filter.</returns>
    public static NotionFilter CheckboxEquals(string property, bool value) => Property(property, "checkbox", "equals", value);

    /// <summary>A number property equals a number.</summary>
    /// <param name="property">The property's name or id.</param>
    /// <param name="value">The number.</param>
    /// <returns>The filter.</returns>
    public static NotionFilter NumberEquals(string property, decimal value) => Property(property, "number", "equals", value);

    /// <summary>A property of the given type is empty.</summary>
    /// <param name="property">The property's name or id.</param>
    /// <param name="type">Its type, e.g. <c>select</c>.</param>
    /// <returns>The filter.</returns>
    public static NotionFilter IsEmpty(string property, string type) => Property(property, type, "is_empty", true);

    /// <summary>A property of the given type is not empty.</summary>
    /// <param name="property">The property's name or id.</param>
    /// <param name="type">Its type, e.g. <c>select</c>.</param>
    /// <returns>The filter.</returns>
    public static NotionFilter IsNotEmpty(string property, string type) => Property(property, type, "is_not_empty", true);

    /// <summary>
    /// Pages edited at or after a time. Notion rounds <c>last_edited_time</c> down to the minute, so a sweep
    /// should start from a minute (or more) before its last run.
    /// </summary>
    /// <param name="time">The earliest edit time.</param>
    /// <returns>The filter.</returns>
    public static NotionFilter LastEditedOnOrAfter(DateTimeOffset time) => Timestamp("last_edited_time", "on_or_after", time);

    /// <summary>Pages created at or after a time.</summary>
    /// <param name="time">The earliest creation time.</param>
    /// <returns>The filter.</returns>
    public static NotionFilter CreatedOnOrAfter(DateTimeOffset time) => Timestamp("created_time", "on_or_after", time);

    /// <summary>Every filter matches.</summary>
    /// <param name="filters">The filters.</param>
    /// <returns>The compound filter.</returns>
    public static NotionFilter And(params IEnumerable<NotionFilter> filters) => Compound("and", filters);

    /// <summary>At least one filter matches.</summary>
    /// <param name="filters">The filters.</param>
    /// <returns>The compound filter.</returns>
    public static NotionFilter Or(params IEnumerable<NotionFilter> filters) => Compound("or", filters);

    /// <summary>Any property condition Notion knows, for what the helpers above do not cover.</summary>
    /// <param name="property">The property's name or id.</param>
    /// <param name="type">The property's type.</param>
    /// <param name="condition">The condition, e.g. <c>contains</c>, <c>greater_than</c>.</param>
    /// <param name="value">The condition's operand.</param>
    /// <returns>The filter.</returns>
    public static NotionFilter Property(string property, string type, string condition, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(property);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(condition);
        var text = value?.ToJsonString();
        return new NotionFilter(() => new JsonObject
        {
            ["property"] = property,
            [type] = new JsonObject { [condition] = text is null ? null : JsonNode.Parse(text) },
        });
    }

    /// <summary>The filter as Notion's JSON (a new object each time, ready to be put in a request).</summary>
    /// <returns>The JSON object.</returns>
    public JsonObject ToJson() => _build();

    /// <inheritdoc />
    public override string ToString() => ToJson().ToJsonString();

    private static NotionFilter Timestamp(string timestamp, string condition, DateTimeOffset time)
    {
        var text = time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return new NotionFilter(() => new JsonObject
        {
            ["timestamp"] = timestamp,
            [timestamp] = new JsonObject { [condition] = text },
        });
    }

    private static NotionFilter Compound(string kind, IEnumerable<NotionFilter> filters)
    {
        var parts = filters.ToList();
        if (parts.Count == 0)
        {
            throw new ArgumentException($"An '{kind}' filter needs at least one filter.", nameof(filters));
        }

        return new NotionFilter(() => new JsonObject { [kind] = new JsonArray([.. parts.Select(p => (JsonNode)p.ToJson())]) });
    }
}
