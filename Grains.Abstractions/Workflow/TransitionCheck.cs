using System.Diagnostics.CodeAnalysis;

namespace Pipeline.Grains.Abstractions.Workflow;

/// <summary>The answer of <see cref="WorkflowDefinition.Check"/>: whether a move is allowed, and why or why not.</summary>
/// <remarks>
/// Serializable so grains can hand it back to callers (gateway, Notion sync) unchanged; the reason is
/// written for people, because it ends up in Notion's Error property and in problem details.
/// </remarks>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.TransitionCheck")]
public sealed record TransitionCheck
{
    private TransitionCheck(WorkflowStatus from, WorkflowStatus to, Actor actor, TransitionKind? kind, string? reason)
    {
        From = from;
        To = to;
        Actor = actor;
        Kind = kind;
        Reason = reason;
    }

    /// <summary>The status the task is in.</summary>
    [Id(0)]
    public WorkflowStatus From { get; }

    /// <summary>The status asked for.</summary>
    [Id(1)]
    public WorkflowStatus To { get; }

    /// <summary>Who asked.</summary>
    [Id(2)]
    public Actor Actor { get; }

    /// <summary>Why the move happens, when it is allowed.</summary>
    [Id(3)]
    public TransitionKind? Kind { get; }

    /// <summary>Why the move is refused, naming both statuses; null when it is allowed.</summary>
    [Id(4)]
    public string? Reason { get; }

    /// <summary>Whether the workflow allows the move for this actor.</summary>
    [MemberNotNullWhen(true, nameof(Kind))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool IsAllowed => Kind is not null;

    /// <summary>An allowed move.</summary>
    /// <param name="rule">The rule that allows it.</param>
    /// <returns>The check.</returns>
    public static TransitionCheck Allowed(TransitionRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new(rule.From, rule.To, rule.Actor, rule.Kind, null);
    }

    /// <summary>A refused move.</summary>
    /// <param name="from">The status the task is in.</param>
    /// <param name="to">The status asked for.</param>
    /// <param name="actor">Who asked.</param>
    /// <param name="reason">Why it is refused, for people.</param>
    /// <returns>The check.</returns>
    public static TransitionCheck Refused(WorkflowStatus from, WorkflowStatus to, Actor actor, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(from, to, actor, null, reason);
    }
}
