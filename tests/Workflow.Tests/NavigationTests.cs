using Pipeline.Grains.Abstractions.Workflow;
using Xunit;
using static Pipeline.Grains.Abstractions.Workflow.WorkflowStatus;

namespace Pipeline.Workflow.Tests;

public class NavigationTests
{
    public static TheoryData<WorkflowStatus> EveryStatus() => new(Design.AllStatuses);

    [Theory]
    [InlineData(GeneratingAssets, AssetsReady, AssetError)]
    [InlineData(GeneratingComposites, CompositesReady, AssetError)]
    [InlineData(GeneratingVideo, VideoReady, VideoError)]
    [InlineData(GeneratingAudio, AudioReady, AudioError)]
    [InlineData(GeneratingSfx, SfxReady, AudioError)]
    [InlineData(Assembling, AssemblyReady, VideoError)]
    [InlineData(Uploading, Published, UploadError)]
    public void Work_status_has_its_next_status_and_its_error_status(WorkflowStatus work, WorkflowStatus next, WorkflowStatus error)
    {
        Assert.Equal(StatusKind.Work, WorkflowDefinition.Get(work).Kind);
        Assert.Equal(next, WorkflowDefinition.NextOnSuccess(work));
        Assert.Equal(error, WorkflowDefinition.ErrorStatusOf(work));
    }

    [Fact]
    public void Every_work_status_has_a_next_and_an_error_status()
    {
        var work = WorkflowDefinition.Statuses.Where(s => s.Kind == StatusKind.Work).ToList();

        Assert.Equal(7, work.Count);
        Assert.All(work, s =>
        {
            Assert.NotNull(s.Next);
            Assert.Equal(StatusKind.Error, WorkflowDefinition.Get(s.ErrorStatus!.Value).Kind);
        });
    }

    [Fact]
    public void Claimed_fails_into_asset_error_because_preparing_the_plan_can_fail()
    {
        Assert.Equal(AssetError, WorkflowDefinition.ErrorStatusOf(Claimed));
        Assert.Equal(GeneratingAssets, WorkflowDefinition.NextOnSuccess(Claimed));
    }

    [Theory]
    [InlineData(Queued, Claimed)]
    [InlineData(AssetsApproved, GeneratingComposites)]
    [InlineData(CompositesReady, GeneratingVideo)]
    [InlineData(VideoApproved, GeneratingAudio)]
    [InlineData(AudioApproved, GeneratingSfx)]
    [InlineData(SfxReady, Assembling)]
    [InlineData(AssemblyReady, FinalReview)]
    [InlineData(Approved, Uploading)]
    public void Status_the_system_passes_on_has_its_next_status(WorkflowStatus status, WorkflowStatus next)
    {
        Assert.Equal(next, WorkflowDefinition.NextOnSuccess(status));
        Assert.Null(WorkflowDefinition.ErrorStatusOf(status));
    }

    [Theory]
    [InlineData(Draft)]
    [InlineData(AssetsReady)]
    [InlineData(VideoReady)]
    [InlineData(AudioReady)]
    [InlineData(FinalReview)]
    [InlineData(Published)]
    [InlineData(AssetError)]
    [InlineData(UploadError)]
    public void Status_where_the_system_does_not_move_on_by_itself_has_no_next(WorkflowStatus status)
    {
        Assert.Null(WorkflowDefinition.NextOnSuccess(status));
    }

    [Theory]
    [InlineData(AssetsReady, ReviewGate.Assets, AssetsApproved, GeneratingAssets)]
    [InlineData(VideoReady, ReviewGate.Video, VideoApproved, GeneratingVideo)]
    [InlineData(AudioReady, ReviewGate.Audio, AudioApproved, GeneratingAudio)]
    [InlineData(FinalReview, ReviewGate.Final, Approved, Assembling)]
    public void Gate_has_its_approval_and_rejection_target(
        WorkflowStatus gateStatus, ReviewGate gate, WorkflowStatus approval, WorkflowStatus rejection)
    {
        Assert.Equal(gate, WorkflowDefinition.GateOf(gateStatus));
        Assert.Equal(gateStatus, WorkflowDefinition.GateStatusOf(gate));
        Assert.Equal(approval, WorkflowDefinition.ApprovalOf(gateStatus));
        Assert.Equal(rejection, WorkflowDefinition.RejectionTargetOf(gateStatus));
        Assert.Equal(StatusKind.Approval, WorkflowDefinition.Get(approval).Kind);
        Assert.Equal(StatusKind.Work, WorkflowDefinition.Get(rejection).Kind);
    }

    [Fact]
    public void Exactly_the_four_gates_have_a_gate_approval_and_rejection_target()
    {
        var gates = WorkflowDefinition.Statuses.Where(s => s.Gate is not null || s.Approval is not null || s.RejectionTarget is not null);

        Assert.Equal([AssetsReady, VideoReady, AudioReady, FinalReview], gates.Select(s => s.Status));
        Assert.All(gates, s => Assert.Equal(StatusKind.Gate, s.Kind));
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkflowDefinition.GateStatusOf((ReviewGate)0));
    }

    [Theory]
    [InlineData(AssetsApproved)]
    [InlineData(Approved)]
    [InlineData(GeneratingAssets)]
    [InlineData(Draft)]
    public void Status_that_is_not_a_gate_has_no_gate_navigation(WorkflowStatus status)
    {
        Assert.Null(WorkflowDefinition.GateOf(status));
        Assert.Null(WorkflowDefinition.ApprovalOf(status));
        Assert.Null(WorkflowDefinition.RejectionTargetOf(status));
    }

    [Theory]
    [InlineData(AssetError, new[] { Claimed, GeneratingAssets, GeneratingComposites })]
    [InlineData(VideoError, new[] { GeneratingVideo, Assembling })]
    [InlineData(AudioError, new[] { GeneratingAudio, GeneratingSfx })]
    [InlineData(UploadError, new[] { Uploading })]
    public void Error_status_retries_back_to_the_statuses_that_fail_into_it(WorkflowStatus error, WorkflowStatus[] expected)
    {
        Assert.Equal(expected, WorkflowDefinition.Get(error).RetryTargets);
    }

    [Fact]
    public void Error_status_can_reach_back_only_statuses_that_fail_into_it()
    {
        foreach (var error in WorkflowDefinition.Statuses.Where(s => s.Kind == StatusKind.Error))
        {
            var failingIntoIt = WorkflowDefinition.Statuses.Where(s => s.ErrorStatus == error.Status).Select(s => s.Status).Order();
            var reachable = WorkflowDefinition.TransitionsFrom(error.Status)
                .Where(t => t.Kind != TransitionKind.Cancel)
                .Select(t => t.To)
                .Distinct()
                .Order();

            Assert.Equal(failingIntoIt, reachable);
            Assert.Equal(failingIntoIt, error.RetryTargets.Order());
        }
    }

    [Theory]
    [MemberData(nameof(EveryStatus))]
    public void Every_status_but_published_can_be_cancelled_by_a_human(WorkflowStatus status)
    {
        var byHuman = WorkflowDefinition.Check(status, Draft, Actor.Human);
        var bySystem = WorkflowDefinition.Check(status, Draft, Actor.System);

        if (status is Published or Draft)
        {
            Assert.False(byHuman.IsAllowed);
        }
        else
        {
            Assert.True(byHuman.IsAllowed, byHuman.Reason);
            Assert.Equal(TransitionKind.Cancel, byHuman.Kind);
        }

        Assert.False(bySystem.IsAllowed);
    }

    [Fact]
    public void Published_is_the_only_terminal_status_and_nothing_leaves_it()
    {
        Assert.Equal([Published], Design.AllStatuses.Where(WorkflowDefinition.IsTerminal));
        Assert.Empty(WorkflowDefinition.TransitionsFrom(Published));
        Assert.All(Design.AllStatuses.Where(s => s != Published), s => Assert.NotEmpty(WorkflowDefinition.TransitionsFrom(s)));
    }

    [Fact]
    public void Every_status_but_draft_queued_and_published_counts_as_in_flight()
    {
        var notInFlight = Design.AllStatuses.Where(s => !WorkflowDefinition.IsActive(s));

        Assert.Equal([Draft, Queued, Published], notInFlight);
        Assert.False(WorkflowDefinition.IsActive((WorkflowStatus)0));
    }

    [Fact]
    public void Happy_path_leads_from_draft_to_published_through_allowed_moves()
    {
        var path = new List<WorkflowStatus> { Draft };
        var status = Draft;
        while (status != Published)
        {
            var (next, actor) = status == Draft
                ? (Queued, Actor.Human)
                : WorkflowDefinition.ApprovalOf(status) is { } approval
                    ? (approval, Actor.Human)
                    : (WorkflowDefinition.NextOnSuccess(status) ?? throw new InvalidOperationException($"stuck at {status}"), Actor.System);
            var check = WorkflowDefinition.Check(status, next, actor);
            Assert.True(check.IsAllowed, check.Reason);
            path.Add(status = next);
        }

        // Every status but the four errors lies on the happy path, in number order.
        Assert.Equal(Enumerable.Range(1, 22).Select(n => (WorkflowStatus)n), path);
    }

    [Fact]
    public void Default_retry_schedule_is_1_5_15_and_60_minutes()
    {
        Assert.Equal(
            [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1)],
            WorkflowDefinition.DefaultRetrySchedule);
    }

    [Fact]
    public void Navigation_answers_nothing_for_a_value_that_is_not_a_status()
    {
        var bogus = (WorkflowStatus)99;

        Assert.Null(WorkflowDefinition.NextOnSuccess(bogus));
        Assert.Null(WorkflowDefinition.ErrorStatusOf(bogus));
        Assert.Null(WorkflowDefinition.GateOf(bogus));
        Assert.False(WorkflowDefinition.IsTerminal(bogus));
        Assert.Empty(WorkflowDefinition.TransitionsFrom(bogus));
    }
}
