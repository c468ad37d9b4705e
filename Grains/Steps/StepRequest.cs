using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Steps;

/// <summary>One run of one step for one task: what to do, what is done already, and which run it is.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="ChannelId">Its channel.</param>
/// <param name="Status">The work status whose step this is.</param>
/// <param name="RunId">This run; results and job records of other runs are ignored.</param>
/// <param name="Attempt">The automatic retry this is (0 the first time).</param>
/// <param name="PlanJson">The plan, once there is one.</param>
/// <param name="Rework">A reviewer's rejection that this run answers, if any.</param>
public sealed record StepRequest(
    string TaskId,
    string ChannelId,
    WorkflowStatus Status,
    Guid RunId,
    int Attempt,
    string? PlanJson,
    Rework? Rework)
{
    /// <summary>The working title (for a generated plan).</summary>
    public string Title { get; init; } = "";

    /// <summary>The topic (for a generated plan).</summary>
    public string? Topic { get; init; }

    /// <summary>The story direction (for a generated plan).</summary>
    public string? StoryDirection { get; init; }

    /// <summary>The task's priority: its jobs go before the same channel's lower ones at a busy provider.</summary>
    public int Priority { get; init; }

    /// <summary>When the task was queued (UTC): at a busy provider, an older video's jobs go before a newer one's of the same channel and priority.</summary>
    public DateTime QueuedAt { get; init; }

    /// <summary>The jobs finished before this run, by job id (a copy).</summary>
    public IReadOnlyDictionary<string, JobRecord> Jobs { get; init; } = new Dictionary<string, JobRecord>();

    /// <summary>The upload: a YouTube session opened by an earlier run, to resume rather than start again.</summary>
    public string? YouTubeUploadSession { get; init; }

    /// <summary>The SHA-256 of the file that session was opened for.</summary>
    public string? YouTubeUploadSha256 { get; init; }

    /// <summary>The upload: the video an earlier run made (never upload again).</summary>
    public string? YouTubeVideoId { get; init; }

    /// <summary>The upload: that video's URL.</summary>
    public string? YouTubeUrl { get; init; }

    public StepResult Succeeded(decimal costUsd = 0m, string? youTubeUrl = null, string? planJson = null, string? finalVideo = null) =>
        new(Status, RunId, true, CostUsd: costUsd, YouTubeUrl: youTubeUrl, PlanJson: planJson, FinalVideo: finalVideo);

    public StepResult Failed(string error, bool permanent = false, decimal costUsd = 0m) =>
        new(Status, RunId, false, error, permanent, costUsd);

    /// <summary>A failure to retry at a time of its own (a quota's reset), or with a reason of its own for people.</summary>
    public StepResult Failed(string error, bool permanent, DateTime? retryAt, string? reason) =>
        new(Status, RunId, false, error, permanent, RetryAt: retryAt, Reason: reason);
}
