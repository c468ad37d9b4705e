using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Abstractions.Tasks;

/// <summary>One line of a task's history (a row of <c>task_transitions</c>).</summary>
/// <param name="Sequence">The transition's number within its task, from 1; 0 is the creation.</param>
/// <param name="From">The status left; null for the creation.</param>
/// <param name="To">The status entered.</param>
/// <param name="Actor">Who made it.</param>
/// <param name="Kind">Why it happened; null for the creation.</param>
/// <param name="Reason">Notes, an error message, or the reviewer's words.</param>
/// <param name="By">Who exactly, when known (a reviewer's name, "notion", "api").</param>
/// <param name="At">When (UTC).</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.TransitionRecord")]
public sealed record TransitionRecord(
    [property: Id(0)] int Sequence,
    [property: Id(1)] WorkflowStatus? From,
    [property: Id(2)] WorkflowStatus To,
    [property: Id(3)] Actor Actor,
    [property: Id(4)] TransitionKind? Kind,
    [property: Id(5)] string? Reason,
    [property: Id(6)] string? By,
    [property: Id(7)] DateTime At);
