using System.Text.Json.Nodes;

namespace Pipeline.Grains.Notion;

/// <summary>One sort of a query: by a property, or by a page timestamp.</summary>
public sealed record NotionSort
{
    private NotionSort(string? property, string? timestamp, bool descending)
    {
        PropertyName = property;
        Timestamp = timestamp;
        Descending = descending;
    }

    /// <summary>The property sorted by, or null for a timestamp sort.</summary>
    public string? PropertyName { get; }

    /// <summary><c>created_time</c> or <c>last_edited_time</c>, or null for a property sort.</summary>
    public string? Timestamp { get; }

    /// <summary>Newest or largest first.</summary>
    public bool Descending { get; }

    /// <summary>By a property's value.</summary>
    /// <param name="property">The property's name or id.</param>
    /// <param name="descending">Largest first.</param>
    /// <returns>The sort.</returns>
    public static NotionSort ByProperty(string property, bool descending = false) => new(property, null, descending);

    /// <summary>By last edit time.</summary>
    /// <param name="descending">Newest first.</param>
    /// <returns>The sort.</returns>
    public static NotionSort ByLastEditedTime(bool descending = false) => new(null, "last_edited_time", descending);

    /// <summary>By creation time (which never changes, so paging through it is stable).</summary>
    /// <param name="descending">Newest first.</param>
    /// <returns>The sort.</returns>
    public static NotionSort ByCreatedTime(bool descending = false) => new(null, "created_time", descending);

    /// <summary>The sort as Notion's JSON.</summary>
    /// <returns>The JSON object.</returns>
    public JsonObject ToJson()
    {
        var json = PropertyName is not null ? new JsonObject { ["property"] = PropertyName } : new JsonObject { ["timestamp"] = Timestamp };
        json["direction"] = Descending ? "descending" : "ascending";
        return json;
    }
}
