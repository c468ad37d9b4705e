using System.Text.Json;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.ApiGateway.Tasks;

/// <summary>A task as the admin API shows it: the task grain's state, with statuses as codes and names.</summary>
/// <param name="TaskId">The id (Notion page id, or generated).</param>
/// <param name="ChannelId">The channel.</param>
/// <param name="Title">The working title.</param>
/// <param name="Topic">What the video is about.</param>
/// <param name="StoryDirection">How the story should go.</param>
/// <param name="Priority">Higher runs first within the channel.</param>
/// <param name="Status">The status code, e.g. <c>assets_ready</c>.</param>
/// <param name="StatusName">The status's Notion option, e.g. <c>Assets Ready</c>.</param>
/// <param name="StatusReason">Why the task is where it is, when that is not obvious.</param>
/// <param name="Gate">The review gate the task waits at (assets, video, audio, final), or null.</param>
/// <param name="Actions">What a person may do now: queue, approve, reject, retry, cancel.</param>
/// <param name="Plan">The production plan, when there is one.</param>
/// <param name="RetryCount">Automatic retries made for the current failure.</param>
/// <param name="NextRetryAt">When the next automatic retry is due.</param>
/// <param name="LastError">The last failure or refusal.</param>
/// <param name="LastErrorPermanent">Whether that failure is not retried automatically.</param>
/// <param name="FailedStatus">The work status whose failure led to the error status.</param>
/// <param name="CostUsd">Spent so far, in US dollars.</param>
/// <param name="YoutubeUrl">The published video.</param>
/// <param name="PendingRework">What a reviewer asked to redo at the last rejection.</param>
/// <param name="FinalVideo">Where the finished video is (the workspace, then where it was published).</param>
/// <param name="Jobs">Every finished job's output, in the order they finished.</param>
/// <param name="Sequence">The number of the last transition.</param>
/// <param name="QueuedAt">When it last entered queued.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record TaskResponse(
    string TaskId,
    string ChannelId,
    string Title,
    string? Topic,
    string? StoryDirection,
    int Priority,
    string Status,
    string? StatusName,
    string? StatusReason,
    string? Gate,
    IReadOnlyList<string> Actions,
    JsonElement? Plan,
    int RetryCount,
    DateTime? NextRetryAt,
    string? LastError,
    bool LastErrorPermanent,
    string? FailedStatus,
    decimal CostUsd,
    string? YoutubeUrl,
    ReworkResponse? PendingRework,
    string? FinalVideo,
    IReadOnlyList<JobResponse> Jobs,
    int Sequence,
    DateTime? QueuedAt,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static TaskResponse From(TaskState state) => new(
        state.TaskId,
        state.ChannelId,
        state.Title,
        state.Topic,
        state.StoryDirection,
        state.Priority,
        StatusNames.Code(state.Status),
        StatusNames.NotionName(state.Status),
        state.StatusReason,
        WorkflowDefinition.IsDefined(state.Status) && WorkflowDefinition.GateOf(state.Status) is { } gate
            ? HumanActions.GateName(gate)
            : null,
        StatusNames.HumanActions(state.Status),
        ParsePlan(state.PlanJson),
        state.RetryCount,
        UtcTimes.Normalize(state.NextRetryAt),
        state.LastError,
        state.LastErrorPermanent,
        state.FailedStatus is { } failed ? StatusNames.Code(failed) : null,
        state.CostUsd,
        state.YouTubeUrl,
        state.PendingRework is { } rework ? new ReworkResponse(rework.Notes, rework.Items) : null,
        state.FinalVideo,
        [.. state.Jobs.Values.OrderBy(j => j.FinishedAt).Select(JobResponse.From)],
        state.Sequence,
        UtcTimes.Normalize(state.QueuedAt),
        UtcTimes.Normalize(state.CreatedAt),
        UtcTimes.Normalize(state.UpdatedAt));

    // The plan is shown as JSON, not as a string of JSON. One that does not parse (a Notion block the
    // grain has not validated yet) is left out rather than failing the whole answer.
    private static JsonElement? ParsePlan(string? planJson)
    {
        if (string.IsNullOrWhiteSpace(planJson))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(planJson);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A reviewer's pending rework request.</summary>
/// <param name="Notes">What to change.</param>
/// <param name="Items">The items to regenerate; empty means all.</param>
public sealed record ReworkResponse(string Notes, IReadOnlyList<string> Items);

/// <summary>A finished job's output.</summary>
public sealed record JobResponse(string JobId, string Step, string Output, long SizeBytes, string Sha256, decimal CostUsd, DateTime FinishedAt)
{
    public static JobResponse From(JobRecord job) =>
        new(job.JobId, StatusNames.Code(job.Step), job.Output, job.SizeBytes, job.Sha256, job.CostUsd, UtcTimes.Normalize(job.FinishedAt));
}
