using System.Text.Json.Serialization;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.ApiGateway.Tasks;

// The small answer shapes of the tasks API; TaskResponse has its own file.

/// <summary>One row of the <c>tasks</c> read model, as <c>GET /tasks</c> lists it.</summary>
public sealed record TaskRow(
    string TaskId,
    string ChannelId,
    string Title,
    string Status,
    string? StatusName,
    int Priority,
    int RetryCount,
    string? LastError,
    decimal CostUsd,
    string? YoutubeUrl,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>A page of <c>GET /tasks</c>.</summary>
/// <param name="Items">The rows, newest change first.</param>
/// <param name="Total">How many rows match the filter, over all pages.</param>
/// <param name="Page">This page's number, from 1.</param>
/// <param name="PageSize">Rows per page.</param>
public sealed record TaskPage(IReadOnlyList<TaskRow> Items, long Total, int Page, int PageSize);

/// <summary>One line of a task's history (a <c>task_transitions</c> row).</summary>
/// <param name="Seq">The transition's number within the task; 0 is the creation.</param>
/// <param name="FromStatus">The status left; null for the creation.</param>
/// <param name="FromStatusName">Its Notion option.</param>
/// <param name="ToStatus">The status entered.</param>
/// <param name="ToStatusName">Its Notion option.</param>
/// <param name="Actor">system or human.</param>
/// <param name="Kind">Why, e.g. approve, fail, retry; null for the creation.</param>
/// <param name="Reason">Notes, an error message, or the reviewer's words.</param>
/// <param name="By">Who exactly, when known.</param>
/// <param name="At">When.</param>
public sealed record TransitionResponse(
    int Seq,
    string? FromStatus,
    string? FromStatusName,
    string ToStatus,
    string? ToStatusName,
    string Actor,
    string? Kind,
    string? Reason,
    string? By,
    DateTime At)
{
    public static TransitionResponse From(TransitionRecord record) => new(
        record.Sequence,
        record.From is { } from ? StatusNames.Code(from) : null,
        record.From is { } f ? StatusNames.NotionName(f) : null,
        StatusNames.Code(record.To),
        StatusNames.NotionName(record.To),
        WorkflowCodes.Of(record.Actor),
        record.Kind is { } kind ? WorkflowCodes.Of(kind) : null,
        record.Reason,
        record.By,
        UtcTimes.Normalize(record.At));
}

/// <summary><c>GET /tasks/{id}</c>: the task and its whole history, oldest first.</summary>
public sealed record TaskDetails(TaskResponse Task, IReadOnlyList<TransitionResponse> Transitions);

/// <summary>The outcome of a bulk action for one task.</summary>
/// <param name="Id">The task.</param>
/// <param name="Ok">Whether the action took effect.</param>
/// <param name="Status">The task's status afterwards (also when refused, if the task exists).</param>
/// <param name="Code">Why not: a problem code such as INVALID_TRANSITION or TASK_NOT_FOUND.</param>
/// <param name="Error">Why not, for people.</param>
public sealed record BulkResult(
    string Id,
    bool Ok,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Code = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);

/// <summary><c>POST /tasks/bulk</c>: one result per id, in the order given.</summary>
public sealed record BulkResponse(IReadOnlyList<BulkResult> Results);
