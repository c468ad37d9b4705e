namespace Pipeline.ApiGateway.Tasks;

// The bodies of the single-task actions; each is optional (an empty POST is fine) except reject's notes.

/// <summary>The body of <c>POST /tasks/{id}/queue</c> and <c>/retry</c>.</summary>
/// <param name="Notes">Anything to record with the transition.</param>
/// <param name="By">Who acts; "api" when absent.</param>
public sealed record ActionRequest(string? Notes = null, string? By = null);

/// <summary>The body of <c>POST /tasks/{id}/approve</c>.</summary>
/// <param name="Gate">assets, video, audio or final: when given, the task must be waiting at that gate.</param>
/// <param name="Notes">The reviewer's words.</param>
/// <param name="By">Who approves; "api" when absent.</param>
public sealed record ApproveRequest(string? Gate = null, string? Notes = null, string? By = null);

/// <summary>The body of <c>POST /tasks/{id}/reject</c>.</summary>
/// <param name="Gate">assets, video, audio or final: when given, the task must be waiting at that gate.</param>
/// <param name="Notes">Required: what should change.</param>
/// <param name="Items">The ids of the items to regenerate; all when absent or empty.</param>
/// <param name="By">Who rejects; "api" when absent.</param>
public sealed record RejectRequest(string? Gate = null, string? Notes = null, IReadOnlyList<string?>? Items = null, string? By = null);

/// <summary>The body of <c>POST /tasks/{id}/cancel</c>.</summary>
/// <param name="Reason">Why; recorded with the transition.</param>
/// <param name="By">Who cancels; "api" when absent.</param>
public sealed record CancelRequest(string? Reason = null, string? By = null);
