namespace Pipeline.Tests.Fakes;

/// <summary>A property of a fake data source's schema.</summary>
/// <param name="Name">The name.</param>
/// <param name="Type">title, rich_text, select, status, number, url, date or checkbox.</param>
/// <param name="Options">For select and status: the options (a status refuses any other; a select adds new ones).</param>
public sealed record FakeNotionProperty(string Name, string Type, IReadOnlyList<string>? Options = null);
