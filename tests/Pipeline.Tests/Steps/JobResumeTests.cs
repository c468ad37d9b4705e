using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Steps;

/// <summary>Finished jobs survive a crash: after a silo dies mid-step, only the missing jobs run again.</summary>
public sealed class JobResumeTests
{
    [Fact]
    public async Task A_silo_killed_mid_step_runs_only_the_missing_jobs_after_restart()
    {
        await using var pipeline = await StepsEnvironment.StartAsync(SampleChannels.Films, spy: true);
        var spy = pipeline.Spy!;
        spy.Hold("--output videos/scene-03.mp4");
        var taskId = await pipeline.CreateQueuedTaskAsync("films", SamplePlans.ThreeScenes);

        // The third clip is held; the other two finish and are recorded.
        await Eventually.GetAsync(() => Task.FromResult(spy.WasHeld("videos/scene-03.mp4")), held => held, TimeSpan.FromMinutes(3), "the third clip to start");
        await Eventually.GetAsync(async () => JobIds(await pipeline.Harness.GetTaskAsync(taskId)),
            jobs => jobs.Contains("videos/scene-01") && jobs.Contains("videos/scene-02"),
            TimeSpan.FromMinutes(2), "the first two clips to be recorded");

        // A second silo joins, then the first dies with the step in flight (a lone dead silo would
        // leave nobody to declare it dead, and a new silo waits for that before it joins).
        var doomed = pipeline.Harness.Silos[0];
        await pipeline.Harness.StartSiloAsync();
        await pipeline.Harness.KillSiloAsync(doomed);
        // The held run saw its silo die and gave up without running; the new silo's run is let through.
        await Task.Delay(TimeSpan.FromSeconds(1));
        spy.Release();

        var final = await Eventually.GetAsync(() => pipeline.Harness.StatusOfAsync(taskId),
            s => s is "published" or "video_error", TimeSpan.FromMinutes(4), "the task to be published");
        Assert.True(final == "published", (await pipeline.Harness.GetTaskAsync(taskId)).ToString());

        Assert.Equal(1, spy.RunsMaking("videos/scene-01.mp4"));
        Assert.Equal(1, spy.RunsMaking("videos/scene-02.mp4"));
        Assert.Equal(1, spy.RunsMaking("videos/scene-03.mp4"));
        Assert.Equal(2, spy.RunsOf("generate_asset"));
        Assert.Equal(3, spy.RunsOf("create_composite"));
        Assert.Equal(1, spy.RunsOf("assemble_video"));
        Assert.Equal(SamplePlans.ThreeScenesJobs, JobIds(await pipeline.Harness.GetTaskAsync(taskId)).Count);
    }

    internal static List<string> JobIds(System.Text.Json.JsonElement body) =>
        [.. PipelineHarness.TaskOf(body).GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("job_id").GetString()!)];
}
