using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Abstractions.Notion;

/// <summary>What a task shows in its Notion page: the columns Pipeline writes.</summary>
/// <param name="ChannelId">The task's channel (whose column names apply).</param>
/// <param name="Status">The task's status.</param>
/// <param name="Error">Why it stopped or what it waits for (or why a person's change was refused); empty when nothing is wrong.</param>
/// <param name="RetryCount">Automatic retries so far.</param>
/// <param name="CostUsd">What it cost so far.</param>
/// <param name="YouTubeUrl">The published video, once there is one.</param>
/// <param name="UpdatedAt">When the task last changed (UTC).</param>
/// <param name="Sequence">The task's transition counter: a view of an older transition never replaces a newer one.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.NotionTaskView")]
public sealed record NotionTaskView(
    [property: Id(0)] string ChannelId,
    [property: Id(1)] WorkflowStatus Status,
    [property: Id(2)] string Error,
    [property: Id(3)] int RetryCount,
    [property: Id(4)] decimal CostUsd,
    [property: Id(5)] string? YouTubeUrl,
    [property: Id(6)] DateTime UpdatedAt,
    [property: Id(7)] long Sequence)
{
    /// <summary>The view of a task as it is.</summary>
    /// <param name="task">The task.</param>
    /// <returns>The view.</returns>
    public static NotionTaskView Of(Tasks.TaskState task) => new(
        task.ChannelId,
        task.Status,
        // In an error status, what went wrong; otherwise what the task waits for, if anything (a daily quota, a hold).
        WorkflowDefinition.Get(task.Status).Kind == StatusKind.Error ? task.LastError ?? "" : task.StatusReason ?? "",
        task.RetryCount,
        task.CostUsd,
        task.YouTubeUrl,
        task.UpdatedAt,
        task.Sequence);
}
