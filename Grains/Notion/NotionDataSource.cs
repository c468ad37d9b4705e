namespace Pipeline.Grains.Notion;

/// <summary>A data source: a table of pages with one property schema.</summary>
/// <param name="Id">The data source id.</param>
/// <param name="Name">Its name (its title as plain text).</param>
/// <param name="DatabaseId">The database it belongs to.</param>
/// <param name="Properties">Its property schema by name.</param>
public sealed record NotionDataSource(
    string Id,
    string Name,
    string? DatabaseId,
    IReadOnlyDictionary<string, NotionPropertySchema> Properties);

/// <summary>One property of a schema: what a channel's property names must match, and which filter its type needs.</summary>
/// <param name="Id">The property id.</param>
/// <param name="Name">The property name.</param>
/// <param name="Type">Its type, e.g. <c>status</c> or <c>select</c> (a Status column can be either).</param>
/// <param name="Options">For select and status: the option names.</param>
public sealed record NotionPropertySchema(string Id, string Name, string Type, IReadOnlyList<string> Options);
