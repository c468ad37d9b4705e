using Pipeline.Grains.Abstractions.Workflow;
using Xunit;

namespace Pipeline.Workflow.Tests;

public class TransitionTableTests
{
    public static TheoryData<WorkflowStatus, Actor> EveryStatusAndActor()
    {
        var data = new TheoryData<WorkflowStatus, Actor>();
        foreach (var status in Design.AllStatuses)
        {
            data.Add(status, Actor.System);
            data.Add(status, Actor.Human);
        }

        return data;
    }

    // 26 rows × 2 actors, each checking all 26 targets: every (from, to, actor) of the 26×26×2.
    [Theory]
    [MemberData(nameof(EveryStatusAndActor))]
    public void Check_allows_exactly_the_designed_moves_from(WorkflowStatus from, Actor actor)
    {
        var failures = new List<string>();
        foreach (var to in Design.AllStatuses)
        {
            var move = (from, to, actor);
            var check = WorkflowDefinition.Check(from, to, actor);
            if (check.From != from || check.To != to || check.Actor != actor)
            {
                failures.Add($"{Design.Describe(move)}: the check describes another move ({check.From} -> {check.To} by {check.Actor})");
            }

            if (Design.Moves.TryGetValue(move, out var kind))
            {
                if (!check.IsAllowed)
                {
                    failures.Add($"{Design.Describe(move, kind)}: refused, but DESIGN allows it ({check.Reason})");
                }
                else if (check.Kind != kind || check.Reason is not null)
                {
                    failures.Add($"{Design.Describe(move, kind)}: allowed as {check.Kind} with reason '{check.Reason}'");
                }
            }
            else if (check.IsAllowed)
            {
                failures.Add($"{Design.Describe(move)}: allowed as {check.Kind}, but DESIGN does not allow it");
            }
            else if (!check.Reason.Contains(Design.NotionName(from), StringComparison.Ordinal)
                     || !check.Reason.Contains(Design.NotionName(to), StringComparison.Ordinal))
            {
                failures.Add($"{Design.Describe(move)}: the reason does not name both statuses: '{check.Reason}'");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void Transitions_list_holds_exactly_the_designed_moves_with_their_kinds()
    {
        var actual = WorkflowDefinition.Transitions.Select(t => Design.Describe((t.From, t.To, t.Actor), t.Kind)).ToHashSet();
        var expected = Design.Moves.Select(m => Design.Describe(m.Key, m.Value)).ToHashSet();

        var missing = expected.Except(actual).Order().ToList();
        var extra = actual.Except(expected).Order().ToList();
        Assert.True(
            missing.Count == 0 && extra.Count == 0,
            $"missing:\n  {string.Join("\n  ", missing)}\nnot in DESIGN:\n  {string.Join("\n  ", extra)}");
        Assert.Equal(77, WorkflowDefinition.Transitions.Count);
    }

    [Fact]
    public void Transitions_list_has_no_move_twice()
    {
        var duplicates = WorkflowDefinition.Transitions
            .GroupBy(t => (t.From, t.To, t.Actor))
            .Where(g => g.Count() > 1)
            .Select(g => Design.Describe(g.Key));
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Transitions_are_listed_in_status_order_of_their_from_status()
    {
        var froms = WorkflowDefinition.Transitions.Select(t => (int)t.From).ToList();
        Assert.Equal(froms.Order(), froms);
    }

    [Fact]
    public void TransitionsFrom_returns_the_moves_out_of_a_status()
    {
        foreach (var status in Design.AllStatuses)
        {
            var expected = Design.Moves.Keys.Where(m => m.From == status).Order().ToList();
            var actual = WorkflowDefinition.TransitionsFrom(status).Select(t => (t.From, t.To, t.Actor)).Order().ToList();
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [InlineData(WorkflowStatus.GeneratingVideo, WorkflowStatus.Published, Actor.Human,
        "Generating Video → Published is not a transition the workflow allows")]
    [InlineData(WorkflowStatus.GeneratingVideo, WorkflowStatus.Published, Actor.Human,
        "a human may move it only to Draft")]
    [InlineData(WorkflowStatus.VideoReady, WorkflowStatus.Published, Actor.Human,
        "a human may move it only to Video Approved, Generating Video or Draft")]
    [InlineData(WorkflowStatus.Queued, WorkflowStatus.Claimed, Actor.Human, "only the system may move Queued → Claimed")]
    [InlineData(WorkflowStatus.Draft, WorkflowStatus.Queued, Actor.System, "only a human may move Draft → Queued")]
    [InlineData(WorkflowStatus.AssetsReady, WorkflowStatus.GeneratingAssets, Actor.System,
        "only a human may move Assets Ready → Generating Assets")]
    [InlineData(WorkflowStatus.Draft, WorkflowStatus.Claimed, Actor.System, "only a human moves a task on from Draft")]
    [InlineData(WorkflowStatus.Published, WorkflowStatus.Draft, Actor.Human, "Published is final")]
    [InlineData(WorkflowStatus.Draft, WorkflowStatus.Draft, Actor.Human, "the task is already Draft")]
    public void Refusal_reason_says_why(WorkflowStatus from, WorkflowStatus to, Actor actor, string expected)
    {
        var check = WorkflowDefinition.Check(from, to, actor);

        Assert.False(check.IsAllowed);
        Assert.Null(check.Kind);
        Assert.Contains(expected, check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_outside_the_table_are_refused_with_a_reason()
    {
        var unknownFrom = WorkflowDefinition.Check((WorkflowStatus)0, WorkflowStatus.Queued, Actor.Human);
        var unknownTo = WorkflowDefinition.Check(WorkflowStatus.Draft, (WorkflowStatus)27, Actor.Human);
        var unknownActor = WorkflowDefinition.Check(WorkflowStatus.Draft, WorkflowStatus.Queued, (Actor)0);

        Assert.False(unknownFrom.IsAllowed);
        Assert.Contains("0 is not a workflow status", unknownFrom.Reason, StringComparison.Ordinal);
        Assert.False(unknownTo.IsAllowed);
        Assert.Contains("27 is not a workflow status", unknownTo.Reason, StringComparison.Ordinal);
        Assert.False(unknownActor.IsAllowed);
        Assert.Contains("0 is not an actor", unknownActor.Reason, StringComparison.Ordinal);
    }
}
