namespace Pipeline.Grains.Notion;

/// <summary>A block of page content: what Pipeline needs of it (the plan is a JSON code block).</summary>
/// <param name="Id">The block id.</param>
/// <param name="Type">Notion's block type, e.g. <c>code</c>, <c>paragraph</c>.</param>
/// <param name="HasChildren">Whether it has nested blocks (not read here).</param>
/// <param name="InTrash">Whether it is in the trash.</param>
/// <param name="Text">The plain text of its rich text (all pieces joined), for blocks that have one.</param>
/// <param name="CodeLanguage">For a code block: its language (e.g. <c>json</c>).</param>
public sealed record NotionBlock(string Id, string Type, bool HasChildren, bool InTrash, string? Text, string? CodeLanguage);
