using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Abstractions.Tasks;

/// <summary>
/// Everything a task grain persists about one video. Stored as JSON with its .NET type name:
/// keep the type's name and namespace stable, and only add members.
/// </summary>
[GenerateSerializer]
[Alias("Pipeline.TaskState")]
public sealed record TaskState
{
    /// <summary>The task's id: the Notion page id, or a generated one for tasks made through the API.</summary>
    [Id(0)] public string TaskId { get; set; } = "";

    /// <summary>The channel the video is for.</summary>
    [Id(1)] public string ChannelId { get; set; } = "";

    /// <summary>The working title.</summary>
    [Id(2)] public string Title { get; set; } = "";

    /// <summary>What the video is about (Notion's Topic).</summary>
    [Id(3)] public string? Topic { get; set; }

    /// <summary>How the story should go (Notion's Story Direction).</summary>
    [Id(4)] public string? StoryDirection { get; set; }

    /// <summary>Higher runs first within its channel.</summary>
    [Id(5)] public int Priority { get; set; }

    /// <summary>Where the task is in the workflow.</summary>
    [Id(6)] public WorkflowStatus Status { get; set; } = WorkflowStatus.Draft;

    /// <summary>The production plan (plan.json) as given, when there is one.</summary>
    [Id(7)] public string? PlanJson { get; set; }

    /// <summary>Automatic retries made for the current failure; reset by success and by a human retry.</summary>
    [Id(8)] public int RetryCount { get; set; }

    /// <summary>When the next automatic retry is due; null when none is scheduled.</summary>
    [Id(9)] public DateTime? NextRetryAt { get; set; }

    /// <summary>The last failure or refusal, for people (Notion's Error property).</summary>
    [Id(10)] public string? LastError { get; set; }

    /// <summary>Whether the last failure is permanent (bad input): it is not retried automatically.</summary>
    [Id(11)] public bool LastErrorPermanent { get; set; }

    /// <summary>The work status whose failure put the task in its error status: where a retry goes back to.</summary>
    [Id(12)] public WorkflowStatus? FailedStatus { get; set; }

    /// <summary>Money spent on providers so far, in US dollars.</summary>
    [Id(13)] public decimal CostUsd { get; set; }

    /// <summary>The published video's URL.</summary>
    [Id(14)] public string? YouTubeUrl { get; set; }

    /// <summary>When the task was created (UTC).</summary>
    [Id(15)] public DateTime CreatedAt { get; set; }

    /// <summary>When the task last changed (UTC).</summary>
    [Id(16)] public DateTime UpdatedAt { get; set; }

    /// <summary>When the task last entered queued (UTC): the channel's first-come order.</summary>
    [Id(17)] public DateTime? QueuedAt { get; set; }

    /// <summary>The number of the last transition; the read model only ever moves forward to it.</summary>
    [Id(18)] public int Sequence { get; set; }

    /// <summary>Transitions not yet known to be in the read model (an outbox: replayed on activation).</summary>
    [Id(19)] public List<TransitionRecord> UnsyncedTransitions { get; set; } = [];

    /// <summary>What a reviewer asked to redo at the last rejection; the next run of that step uses it.</summary>
    [Id(20)] public Rework? PendingRework { get; set; }

    /// <summary>Why the task is where it is, when that is not obvious (e.g. "waiting for a publish slot").</summary>
    [Id(21)] public string? StatusReason { get; set; }

    /// <summary>Every finished job's output, by job id: what a rerun of a step can skip.</summary>
    [Id(22)] public Dictionary<string, JobRecord> Jobs { get; set; } = [];

    /// <summary>Where the finished video is: the assembled file, then where it was published to.</summary>
    [Id(23)] public string? FinalVideo { get; set; }

    /// <summary>
    /// A failure that will not be retried automatically has not been alerted yet: stored with the error status and
    /// cleared once the alert is raised, so a silo dying in between does not lose it (the next activation raises it).
    /// </summary>
    [Id(24)] public bool AlertPending { get; set; }

    /// <summary>
    /// The YouTube upload session in progress (its URI), stored before the first byte is sent: after a crash the
    /// upload resumes from the byte YouTube acknowledged, or gets the video back if it had finished.
    /// </summary>
    [Id(30)] public string? YouTubeUploadSession { get; set; }

    /// <summary>The SHA-256 of the file that session uploads: a session is never resumed with another file.</summary>
    [Id(31)] public string? YouTubeUploadSha256 { get; set; }

    /// <summary>The YouTube video made from this task; once set, the task is never uploaded again.</summary>
    [Id(32)] public string? YouTubeVideoId { get; set; }

    /// <summary>The Notion page the task was planned in (its id is the task's); null for tasks made through the API.</summary>
    [Id(40)] public string? NotionPageId { get; set; }
}
