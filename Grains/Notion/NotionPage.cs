namespace Pipeline.Grains.Notion;

/// <summary>A Notion page (a database row): what Pipeline reads of it.</summary>
/// <param name="Id">The page id (a UUID with dashes, as Notion sends it).</param>
/// <param name="CreatedTime">When it was created (Notion rounds to the minute).</param>
/// <param name="LastEditedTime">When it was last edited (Notion rounds down to the minute, so a sweep's bound must overlap).</param>
/// <param name="InTrash">Whether it is in the trash (<c>in_trash</c>, or <c>archived</c> on versions before 2026-03-11).</param>
/// <param name="Url">Its notion.so URL.</param>
/// <param name="DatabaseId">The database it is a row of, if any.</param>
/// <param name="DataSourceId">The data source it is a row of, on data-source API versions.</param>
/// <param name="Properties">Its property values by property name.</param>
public sealed record NotionPage(
    string Id,
    DateTimeOffset CreatedTime,
    DateTimeOffset LastEditedTime,
    bool InTrash,
    string? Url,
    string? DatabaseId,
    string? DataSourceId,
    IReadOnlyDictionary<string, NotionPropertyValue> Properties)
{
    /// <summary>A property's value as text (see <see cref="NotionPropertyValue.AsText"/>); null when absent or empty.</summary>
    /// <param name="name">The property's name.</param>
    /// <returns>The text.</returns>
    public string? Text(string name) => Properties.GetValueOrDefault(name)?.AsText;

    /// <summary>A property's value when it exists and has the type asked for.</summary>
    /// <typeparam name="T">The value type, e.g. <see cref="NotionStatus"/>.</typeparam>
    /// <param name="name">The property's name.</param>
    /// <returns>The value, or null.</returns>
    public T? Property<T>(string name) where T : NotionPropertyValue => Properties.GetValueOrDefault(name) as T;

    /// <summary>The name of the property with a given id (webhooks name properties by id).</summary>
    /// <param name="propertyId">The id, URL-encoded as Notion sends it.</param>
    /// <returns>The name, or null when the page has no such property.</returns>
    public string? PropertyName(string propertyId) =>
        Properties.FirstOrDefault(p => p.Value.Id == propertyId || Uri.UnescapeDataString(p.Value.Id ?? "") == Uri.UnescapeDataString(propertyId)).Key;
}
