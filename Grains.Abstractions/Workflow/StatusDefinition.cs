namespace Pipeline.Grains.Abstractions.Workflow;

/// <summary>One status of the workflow and where it leads.</summary>
/// <param name="Status">The status.</param>
/// <param name="Code">Its snake_case code, as in DESIGN.md, the read model and the admin API (e.g. <c>generating_assets</c>).</param>
/// <param name="NotionName">Its option in the Notion Status property (e.g. <c>Generating Assets</c>).</param>
/// <param name="Kind">What kind of place in the workflow it is.</param>
/// <param name="Description">What it means, in a few words, for people reading docs and dashboards.</param>
/// <remarks>
/// Only the fields that fit <paramref name="Kind"/> are set; the rest stay null or empty, so a grain
/// that reads, say, <see cref="Approval"/> of a work status gets null rather than a wrong answer.
/// </remarks>
public sealed record StatusDefinition(
    WorkflowStatus Status,
    string Code,
    string NotionName,
    StatusKind Kind,
    string Description)
{
    /// <summary>
    /// Where the system moves the task when this status's part is done: for a work status, on success;
    /// for queued, claimed, approvals and pass-throughs, the next step. Null where a human decides
    /// (draft, gates), where the target depends on what failed (errors), and for published.
    /// </summary>
    public WorkflowStatus? Next { get; init; }

    /// <summary>Where the task goes when this status's work fails (work statuses and claimed).</summary>
    public WorkflowStatus? ErrorStatus { get; init; }

    /// <summary>The review gate this status is (gate statuses only).</summary>
    public ReviewGate? Gate { get; init; }

    /// <summary>Where approving this gate leads (gate statuses only).</summary>
    public WorkflowStatus? Approval { get; init; }

    /// <summary>The work status a rejection of this gate runs again (gate statuses only).</summary>
    public WorkflowStatus? RejectionTarget { get; init; }

    /// <summary>
    /// The statuses a retry from this error status may return to: exactly those whose
    /// <see cref="ErrorStatus"/> is this one (error statuses only; empty otherwise).
    /// </summary>
    public IReadOnlyList<WorkflowStatus> RetryTargets { get; init; } = [];
}
