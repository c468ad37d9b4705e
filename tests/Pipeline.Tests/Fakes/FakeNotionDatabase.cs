namespace Pipeline.Tests.Fakes;

/// <summary>A database made in the fake Notion, with its one data source.</summary>
/// <param name="DatabaseId">The database id.</param>
/// <param name="DataSourceId">Its data source's id.</param>
public sealed record FakeNotionDatabase(string DatabaseId, string DataSourceId);
