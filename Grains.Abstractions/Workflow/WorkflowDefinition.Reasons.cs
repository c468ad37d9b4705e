namespace Pipeline.Grains.Abstractions.Workflow;

/// <content>Refusal reasons, written for the people who read them in Notion's Error property and in API errors.</content>
public static partial class WorkflowDefinition
{
    private static string RefusalReason(WorkflowStatus from, WorkflowStatus to, Actor actor)
    {
        var move = $"{DisplayName(from)} → {DisplayName(to)}";
        if (!IsDefined(from) || !IsDefined(to))
        {
            var unknown = IsDefined(from) ? to : from;
            return $"{move} is not a transition: {(int)unknown} is not a workflow status";
        }

        if (actor is not (Actor.System or Actor.Human))
        {
            return $"{move} cannot be made: {(int)actor} is not an actor";
        }

        if (from == to)
        {
            return $"{move} is not a transition: the task is already {DisplayName(from)}";
        }

        var other = actor == Actor.Human ? Actor.System : Actor.Human;
        if (ByMove.ContainsKey((from, to, other)))
        {
            return $"only {Who(other)} may move {move}";
        }

        if (IsTerminal(from))
        {
            return $"{move} is not a transition the workflow allows: {DisplayName(from)} is final";
        }

        var targets = TransitionsFrom(from).Where(t => t.Actor == actor).Select(t => DisplayName(t.To)).Distinct().ToList();
        return targets.Count == 0
            ? $"{move} is not a transition the workflow allows; only {Who(other)} moves a task on from {DisplayName(from)}"
            : $"{move} is not a transition the workflow allows; from {DisplayName(from)} {Who(actor)} may move it only to {JoinOr(targets)}";
    }

    // Notion names, because that is what the people reading the reason see in their database.
    private static string DisplayName(WorkflowStatus status) =>
        Find(status)?.NotionName ?? $"status {(int)status}";

    private static string Who(Actor actor) => actor == Actor.System ? "the system" : "a human";

    private static string JoinOr(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : $"{string.Join(", ", items.Take(items.Count - 1))} or {items[^1]}";
}
