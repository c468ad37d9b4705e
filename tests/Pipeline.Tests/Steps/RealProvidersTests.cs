using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Tests.Fakes;
using Pipeline.Tests.Infrastructure;
using Pipeline.Tests.Scripts;

namespace Pipeline.Tests.Steps;

/// <summary>A video made through the providers' APIs (fakes on 127.0.0.1): every call paid for adds up to the task's cost.</summary>
public sealed class RealProvidersTests
{
    [Fact]
    public async Task A_video_made_through_the_providers_costs_the_sum_of_its_jobs()
    {
        await using var gemini = new FakeGemini();
        await using var kie = new FakeKie();
        await using var elevenLabs = new FakeElevenLabs();
        await using var pipeline = await StepsEnvironment.StartAsync(SampleChannels.Films, providers: [gemini.Environment, kie.Environment, elevenLabs.Environment]);

        var taskId = await pipeline.CreateQueuedTaskAsync("films", SamplePlans.ThreeScenes);
        await pipeline.Harness.WaitForStatusAsync(taskId, WorkflowStatus.Published, TimeSpan.FromMinutes(4));

        var task = PipelineHarness.TaskOf(await pipeline.Harness.GetTaskAsync(taskId));
        var jobs = task.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(SamplePlans.ThreeScenesJobs, jobs.Count);
        var cost = task.GetProperty("cost_usd").GetDecimal();
        Assert.Equal(jobs.Sum(j => j.GetProperty("cost_usd").GetDecimal()), cost);
        // Five images (two assets, three composites) at $0.039 and three 5-second clips at $0.13, plus speech and effects.
        Assert.InRange(cost, 5 * 0.039m + 3 * 0.13m, 5 * 0.039m + 3 * 0.13m + 0.05m);

        // Each provider was asked once per job, and the video is whole.
        Assert.Equal(5, gemini.Requests.Count(r => r.Path.EndsWith(":generateContent", StringComparison.Ordinal)));
        Assert.Equal(3, kie.RequestsTo("/api/v1/jobs/createTask").Count);
        Assert.Equal(4, elevenLabs.Requests.Count(r => r.Method == "POST"));
        var video = await MediaProbe.ReadAsync(task.GetProperty("final_video").GetString()!);
        Assert.Equal(("h264", 1920, 1080, "aac"), (video.Video.CodecName, video.Video.Width, video.Video.Height, video.Audio.CodecName));
    }
}
