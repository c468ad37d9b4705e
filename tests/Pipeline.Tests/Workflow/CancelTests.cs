using System.Net;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Tests.Infrastructure;
using Pipeline.TestSilo;
using static Pipeline.Grains.Abstractions.Workflow.WorkflowStatus;

namespace Pipeline.Tests.Workflow;

/// <summary>
/// Cancel (→ draft) from every status a task can rest in. The statuses the system passes through
/// in the same turn (approvals, composites_ready, sfx_ready, assembly_ready, approved) cannot be
/// held from outside; the table tests (tests/Workflow.Tests) cover their cancel transitions.
/// </summary>
public sealed class CancelTests(WorkflowHarnessFixture fixture) : IClassFixture<WorkflowHarnessFixture>
{
    private PipelineHarness H => fixture.Harness;

    public static TheoryData<WorkflowStatus> RestingStatuses =>
    [
        Queued, Claimed, GeneratingAssets, AssetsReady, GeneratingComposites, GeneratingVideo, VideoReady,
        GeneratingAudio, AudioReady, GeneratingSfx, Assembling, FinalReview, Uploading,
        AssetError, VideoError, AudioError, UploadError,
    ];

    [Theory]
    [MemberData(nameof(RestingStatuses))]
    public async Task A_task_can_be_cancelled_from(WorkflowStatus status)
    {
        var id = await BringToAsync(status);

        var (code, body) = await H.ActAsync(id, "cancel", new { reason = "changed our mind", by = "producer" });

        Assert.True(code == HttpStatusCode.OK, body.ToString());
        Assert.Equal("draft", await H.StatusOfAsync(id));
        var last = (await H.GetTaskAsync(id)).GetProperty("transitions").EnumerateArray().Last();
        Assert.Equal("cancel", last.GetProperty("kind").GetString());
        Assert.Equal("changed our mind", last.GetProperty("reason").GetString());
        // The slot (or the place in line) is given back.
        var channel = await H.Orleans.GetGrain<IChannelGrain>(ChannelFor(status)).GetState();
        Assert.DoesNotContain(id, channel.Active.Keys);
        Assert.DoesNotContain(id, channel.Queued.Keys);
        if (WorkflowDefinition.Get(status).Kind is StatusKind.Work or StatusKind.Preparing)
        {
            // The running job was stopped, not left to finish.
            await Eventually.GetAsync(() => H.Script(id).Cancellations(status), n => n == 1, TimeSpan.FromSeconds(10),
                $"the {status} job of {id} being cancelled");
        }
    }

    [Fact]
    public async Task A_published_task_cannot_be_cancelled()
    {
        var id = await H.CreateTaskAsync("auto", "Done and dusted", queue: true);
        await H.WaitForStatusAsync(id, Published);

        var (code, body) = await H.ActAsync(id, "cancel");

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("INVALID_TRANSITION", body.GetProperty("code").GetString());
        Assert.Equal("published", await H.StatusOfAsync(id));
    }

    [Fact]
    public async Task A_draft_cannot_be_cancelled_again()
    {
        var id = await H.CreateTaskAsync("main", "Still a draft");

        var (code, _) = await H.ActAsync(id, "cancel");

        Assert.Equal(HttpStatusCode.Conflict, code);
    }

    private static string ChannelFor(WorkflowStatus status) => status == Queued ? "single" : "main";

    private async Task<string> BringToAsync(WorkflowStatus target)
    {
        if (target == Queued)
        {
            // "single" has one slot: a task held in its first step keeps the next one waiting in line.
            var blocker = await H.CreateTaskAsync("single", "Holds the only slot");
            await H.Script(blocker).Add(Claimed, new StepInstruction(StepBehaviour.Hold));
            await H.ActAsync(blocker, "queue");
            await H.WaitForStatusAsync(blocker, Claimed);
            var waiting = await H.CreateTaskAsync("single", "Waits in line", queue: true);
            await Task.Delay(300);
            Assert.Equal("queued", await H.StatusOfAsync(waiting));
            return waiting;
        }

        var id = await H.CreateTaskAsync("main", $"Cancelled in {target}");
        var definition = WorkflowDefinition.Get(target);
        var script = H.Script(id);
        if (definition.Kind is StatusKind.Work or StatusKind.Preparing)
        {
            await script.Add(target, new StepInstruction(StepBehaviour.Hold));
        }
        else if (definition.Kind == StatusKind.Error)
        {
            await script.Add(definition.RetryTargets[^1], new StepInstruction(StepBehaviour.FailPermanent));
        }

        await H.ActAsync(id, "queue");
        foreach (var gate in new[] { AssetsReady, VideoReady, AudioReady, FinalReview })
        {
            if (await H.StatusOfAsync(id) == WorkflowDefinition.Get(target).Code)
            {
                break;
            }

            var reached = await Eventually.GetAsync(() => H.StatusOfAsync(id),
                s => s == WorkflowDefinition.Get(target).Code || s == WorkflowDefinition.Get(gate).Code,
                TimeSpan.FromSeconds(30), $"{id} reaching {target} or {gate}");
            if (reached == WorkflowDefinition.Get(target).Code)
            {
                break;
            }

            await H.ActAsync(id, "approve");
        }

        await H.WaitForStatusAsync(id, target);
        return id;
    }
}
