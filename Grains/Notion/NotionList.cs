namespace Pipeline.Grains.Notion;

/// <summary>One page of a paginated Notion list.</summary>
/// <typeparam name="T">What is listed.</typeparam>
/// <param name="Results">The items on this page.</param>
/// <param name="HasMore">Whether there is another page.</param>
/// <param name="NextCursor">The <c>start_cursor</c> of the next page, when there is one.</param>
public sealed record NotionList<T>(IReadOnlyList<T> Results, bool HasMore, string? NextCursor);
