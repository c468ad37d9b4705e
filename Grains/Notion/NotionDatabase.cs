namespace Pipeline.Grains.Notion;

/// <summary>
/// A database. On data-source versions (2025-09-03 on) it is a container of data sources, which hold the
/// pages and the property schema; on older versions it has the schema itself.
/// </summary>
/// <param name="Id">The database id.</param>
/// <param name="Title">Its title as plain text.</param>
/// <param name="InTrash">Whether it is in the trash.</param>
/// <param name="DataSources">Its data sources (data-source versions only).</param>
/// <param name="Properties">Its property schema by name (versions before 2025-09-03 only).</param>
public sealed record NotionDatabase(
    string Id,
    string Title,
    bool InTrash,
    IReadOnlyList<NotionDataSourceRef> DataSources,
    IReadOnlyDictionary<string, NotionPropertySchema> Properties);

/// <summary>A data source as a database lists it.</summary>
/// <param name="Id">The data source id.</param>
/// <param name="Name">Its name.</param>
public sealed record NotionDataSourceRef(string Id, string Name);
