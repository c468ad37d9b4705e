using System.Net;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Steps;

/// <summary>A reviewer's rejection remakes only the items named, with the notes, and a cancel stops the jobs in flight.</summary>
public sealed class ReviewReworkTests
{
    private const string Channels = """
        channels:
          - id: reviewed
            name: Reviewed
            keep_files: true
        """;

    [Fact]
    public async Task Rejections_remake_only_the_named_items_and_approvals_carry_the_video_through()
    {
        await using var pipeline = await StepsEnvironment.StartAsync(Channels, spy: true);
        var harness = pipeline.Harness;
        var spy = pipeline.Spy!;
        var taskId = await pipeline.CreateQueuedTaskAsync("reviewed", SamplePlans.ThreeScenes);
        await harness.WaitForStatusAsync(taskId, WorkflowStatus.AssetsReady, TimeSpan.FromMinutes(2));

        var (unknown, problem) = await harness.ActAsync(taskId, "reject", new { gate = "assets", notes = "wrong", items = new[] { "scene-01" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown);
        Assert.True(problem.ToString().Contains("scene-01. Name asset ids", StringComparison.Ordinal), problem.ToString());

        var (rejected, _) = await harness.ActAsync(taskId, "reject", new { gate = "assets", notes = "darker fur", items = new[] { "lioness" } });
        Assert.Equal(HttpStatusCode.OK, rejected);
        await Eventually.GetAsync(() => Task.FromResult(spy.RunsMaking("assets/lioness.png")), n => n == 2, TimeSpan.FromMinutes(1), "the lioness to be remade");
        await harness.WaitForStatusAsync(taskId, WorkflowStatus.AssetsReady, TimeSpan.FromMinutes(1));
        Assert.Equal(1, spy.RunsMaking("assets/savanna.png"));
        Assert.Contains(File.ReadAllLines(Path.Combine(spy.Directory, "runs.log")), l => l.Contains("Reviewer's notes: darker fur", StringComparison.Ordinal));

        await Approve(harness, taskId, "assets");
        await harness.WaitForStatusAsync(taskId, WorkflowStatus.VideoReady, TimeSpan.FromMinutes(3));
        await harness.ActAsync(taskId, "reject", new { gate = "video", notes = "slower", items = new[] { "scene-02" } });
        await Eventually.GetAsync(() => Task.FromResult(spy.RunsMaking("videos/scene-02.mp4")), n => n == 2, TimeSpan.FromMinutes(1), "scene 2's clip to be remade");
        await harness.WaitForStatusAsync(taskId, WorkflowStatus.VideoReady, TimeSpan.FromMinutes(2));
        Assert.Equal((1, 1), (spy.RunsMaking("videos/scene-01.mp4"), spy.RunsMaking("videos/scene-03.mp4")));
        Assert.Equal(3, spy.RunsOf("create_composite"));

        await Approve(harness, taskId, "video");
        await harness.WaitForStatusAsync(taskId, WorkflowStatus.AudioReady, TimeSpan.FromMinutes(2));
        await Approve(harness, taskId, "audio");
        await harness.WaitForStatusAsync(taskId, WorkflowStatus.FinalReview, TimeSpan.FromMinutes(3));
        await Approve(harness, taskId, "final");
        await harness.WaitForStatusAsync(taskId, WorkflowStatus.Published, TimeSpan.FromMinutes(1));
        Assert.Equal((2, 1), (spy.RunsOf("generate_audio"), spy.RunsOf("assemble_video")));
    }

    [Fact]
    public async Task A_cancel_stops_the_jobs_in_flight_and_keeps_the_files()
    {
        await using var pipeline = await StepsEnvironment.StartAsync(Channels, spy: true);
        var spy = pipeline.Spy!;
        spy.Hold("--output assets/savanna.png");
        var taskId = await pipeline.CreateQueuedTaskAsync("reviewed", SamplePlans.ThreeScenes);
        await Eventually.GetAsync(() => Task.FromResult(spy.WasHeld("assets/savanna.png")), held => held, TimeSpan.FromMinutes(1), "the savanna to start");
        Assert.NotEmpty(ProcessesOf(spy));

        var (cancelled, _) = await pipeline.Harness.ActAsync(taskId, "cancel", new { notes = "wrong topic" });

        Assert.Equal(HttpStatusCode.OK, cancelled);
        await Eventually.GetAsync(() => Task.FromResult(ProcessesOf(spy)), running => running.Count == 0, TimeSpan.FromSeconds(10), "the held job to be killed");
        Assert.Equal(WorkflowDefinition.Get(WorkflowStatus.Draft).Code, await pipeline.Harness.StatusOfAsync(taskId));
        Assert.True(Directory.Exists(pipeline.TaskDirectory("reviewed", taskId)), "a cancel keeps the files");
    }

    private static async Task Approve(PipelineHarness harness, string taskId, string gate)
    {
        var (status, body) = await harness.ActAsync(taskId, "approve", new { gate });
        Assert.True(status == HttpStatusCode.OK, $"approve {gate}: {(int)status} {body}");
    }

    /// <summary>Processes started from the spy's scripts (the held wrapper), found through /proc.</summary>
    private static List<int> ProcessesOf(ScriptSpy spy) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => (Pid: int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0, Dir: d))
            .Where(p => p.Pid > 0 && ReadCommandLine(p.Dir).Contains(spy.Directory, StringComparison.Ordinal))
            .Select(p => p.Pid)];

    private static string ReadCommandLine(string procDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDirectory, "cmdline")).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
