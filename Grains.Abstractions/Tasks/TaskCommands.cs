using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Abstractions.Tasks;

/// <summary>A new task, as the admin API or the Notion sync makes it.</summary>
/// <param name="ChannelId">The channel; it must exist and be enabled.</param>
/// <param name="Title">The working title.</param>
/// <param name="Topic">What the video is about.</param>
/// <param name="StoryDirection">How the story should go.</param>
/// <param name="Priority">Higher runs first within the channel.</param>
/// <param name="PlanJson">A production plan, when one is given.</param>
/// <param name="Queue">Start in queued instead of draft.</param>
/// <param name="By">Who creates it.</param>
/// <param name="NotionPageId">The Notion page it comes from, if it does (the task's id is then the page's).</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.NewTask")]
public sealed record NewTask(
    [property: Id(0)] string ChannelId,
    [property: Id(1)] string Title,
    [property: Id(2)] string? Topic = null,
    [property: Id(3)] string? StoryDirection = null,
    [property: Id(4)] int Priority = 0,
    [property: Id(5)] string? PlanJson = null,
    [property: Id(6)] bool Queue = false,
    [property: Id(7)] string? By = null,
    [property: Id(8)] string? NotionPageId = null);

/// <summary>A person's decision at a review gate, or a plain human action (retry, cancel, queue).</summary>
/// <param name="Gate">The gate meant; when given it must be the gate the task waits at.</param>
/// <param name="Notes">The reviewer's words.</param>
/// <param name="Items">For a rejection: the items to regenerate; empty means all.</param>
/// <param name="By">Who decides.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.HumanAction")]
public sealed record HumanAction(
    [property: Id(0)] ReviewGate? Gate = null,
    [property: Id(1)] string? Notes = null,
    [property: Id(2)] IReadOnlyList<string>? Items = null,
    [property: Id(3)] string? By = null);

/// <summary>What a task grain answers to a command: the task as it now is, or why nothing changed.</summary>
/// <param name="Task">The task's state after the command (also when it was refused); null when it does not exist.</param>
/// <param name="ErrorCode">A stable code when refused (<see cref="TaskErrorCodes"/>); null on success.</param>
/// <param name="Error">Why it was refused, for people.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.TaskCommandResult")]
public sealed record TaskCommandResult(
    [property: Id(0)] TaskState? Task,
    [property: Id(1)] string? ErrorCode = null,
    [property: Id(2)] string? Error = null)
{
    /// <summary>Whether the command took effect.</summary>
    public bool Ok => ErrorCode is null;

    /// <summary>A refusal.</summary>
    /// <param name="task">The unchanged task, if it exists.</param>
    /// <param name="code">One of <see cref="TaskErrorCodes"/>.</param>
    /// <param name="error">Why, for people.</param>
    /// <returns>The result.</returns>
    public static TaskCommandResult Refused(TaskState? task, string code, string error) => new(task, code, error);
}

/// <summary>The stable error codes of task commands; the admin API returns them in problem details.</summary>
public static class TaskErrorCodes
{
    /// <summary>No task has this id.</summary>
    public const string TaskNotFound = "TASK_NOT_FOUND";

    /// <summary>A task with this id exists already.</summary>
    public const string TaskExists = "TASK_EXISTS";

    /// <summary>The workflow does not allow the move from the task's current status.</summary>
    public const string InvalidTransition = "INVALID_TRANSITION";

    /// <summary>The channel is not configured (or is disabled).</summary>
    public const string ChannelNotFound = "CHANNEL_NOT_FOUND";

    /// <summary>The command's content is not acceptable.</summary>
    public const string ValidationFailed = "VALIDATION_FAILED";
}
