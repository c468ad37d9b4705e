namespace Pipeline.Grains.Abstractions.Workflow;

/// <summary>One allowed transition: who may move a task from one status to another, and why it happens.</summary>
/// <param name="From">The status the task is in.</param>
/// <param name="To">The status it moves to.</param>
/// <param name="Actor">Who may make the move.</param>
/// <param name="Kind">Why the move happens.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.TransitionRule")]
public sealed record TransitionRule(
    [property: Id(0)] WorkflowStatus From,
    [property: Id(1)] WorkflowStatus To,
    [property: Id(2)] Actor Actor,
    [property: Id(3)] TransitionKind Kind);
