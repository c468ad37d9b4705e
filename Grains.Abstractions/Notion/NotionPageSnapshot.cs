namespace Pipeline.Grains.Abstractions.Notion;

/// <summary>The values of a Notion page Pipeline reads, as plain data (what the sweep hands to a page grain).</summary>
/// <param name="PageId">The page.</param>
/// <param name="Title">The working title.</param>
/// <param name="Status">The Status column's option name; null when empty.</param>
/// <param name="StatusIsSelect">Whether the Status column is a select (else a status) column.</param>
/// <param name="Topic">The topic.</param>
/// <param name="StoryDirection">The story direction.</param>
/// <param name="Priority">The priority (Low −1, Normal 0, High 1, or the number).</param>
/// <param name="LastEditedTime">When it was last edited (UTC, minutes).</param>
/// <param name="InTrash">Whether it was deleted.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.NotionPageSnapshot")]
public sealed record NotionPageSnapshot(
    [property: Id(0)] string PageId,
    [property: Id(1)] string Title,
    [property: Id(2)] string? Status,
    [property: Id(3)] bool StatusIsSelect,
    [property: Id(4)] string? Topic,
    [property: Id(5)] string? StoryDirection,
    [property: Id(6)] int Priority,
    [property: Id(7)] DateTime LastEditedTime,
    [property: Id(8)] bool InTrash);

/// <summary>What reconciling a page with its task did.</summary>
public enum NotionReconcileOutcome
{
    /// <summary>Page and task agree (or the page shows Pipeline's own last write, not yet caught up).</summary>
    InStep,

    /// <summary>A new task was made from the page.</summary>
    Created,

    /// <summary>A person's status change became the task's transition.</summary>
    Moved,

    /// <summary>A person's status change the workflow does not allow: the page is set back, with the reason in Error.</summary>
    Refused,

    /// <summary>The page showed something else than the task (a lost write): the task's view is sent again.</summary>
    Repaired,

    /// <summary>Nothing to do with it (deleted, or not in a channel's database).</summary>
    Ignored,
}
