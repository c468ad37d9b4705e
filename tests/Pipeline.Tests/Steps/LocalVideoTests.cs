using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Tests.Infrastructure;
using Pipeline.Tests.Scripts;

namespace Pipeline.Tests.Steps;

/// <summary>One video from queued to published on local providers: real media, every job recorded, the outbox filled.</summary>
public sealed class LocalVideoTests
{
    private const string Channels = """
        channels:
          - id: films
            name: Films
            auto_approve: [assets, video, audio, final]
            keep_files: true
          - id: tidy
            name: Tidy
            auto_approve: [assets, video, audio, final]
        """;

    [Fact]
    public async Task A_planned_video_is_made_and_published_to_the_outbox()
    {
        await using var pipeline = await StepsEnvironment.StartAsync(Channels);
        var taskId = await pipeline.CreateQueuedTaskAsync("films", SamplePlans.ThreeScenes);

        await pipeline.Harness.WaitForStatusAsync(taskId, WorkflowStatus.Published, TimeSpan.FromMinutes(4));

        var task = PipelineHarness.TaskOf(await pipeline.Harness.GetTaskAsync(taskId));
        var video = task.GetProperty("final_video").GetString()!;
        Assert.Equal(Path.Combine(pipeline.Outbox, "films", $"{taskId}.mp4"), video);

        var probe = await MediaProbe.ReadAsync(video);
        Assert.Equal(("h264", 1920, 1080), (probe.Video.CodecName, probe.Video.Width, probe.Video.Height));
        Assert.Equal("aac", probe.Audio.CodecName);

        // Scenes last as long as their narration; the third has none and keeps its 5-second clip.
        var workspace = pipeline.TaskDirectory("films", taskId);
        var expected = (await MediaProbe.ReadAsync(Path.Combine(workspace, "audio", "scene-01.mp3"))).Duration
            + (await MediaProbe.ReadAsync(Path.Combine(workspace, "audio", "scene-02.mp3"))).Duration
            + 5;
        Assert.InRange(probe.Duration, expected - 0.5, expected + 0.5);

        using var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(video, ".json")));
        Assert.Equal("Lions at dawn", metadata.RootElement.GetProperty("title").GetString());
        Assert.True(metadata.RootElement.GetProperty("contains_synthetic_media").GetBoolean());
        Assert.Equal(new FileInfo(video).Length, metadata.RootElement.GetProperty("size_bytes").GetInt64());

        // Every job is recorded with its output, and the record matches the file (kept: keep_files).
        var jobs = task.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(SamplePlans.ThreeScenesJobs, jobs.Count);
        foreach (var job in jobs)
        {
            var file = Path.Combine(workspace, job.GetProperty("output").GetString()!);
            Assert.Equal(job.GetProperty("size_bytes").GetInt64(), new FileInfo(file).Length);
            Assert.Equal(job.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file))));
        }

        Assert.Contains(jobs, j => j.GetProperty("job_id").GetString() == "videos/scene-03" && j.GetProperty("step").GetString() == "generating_video");
        Assert.Equal(0m, task.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task A_task_without_a_plan_gets_one_and_its_files_are_removed_after_publishing()
    {
        await using var pipeline = await StepsEnvironment.StartAsync(Channels);
        var taskId = await pipeline.Harness.CreateTaskAsync("tidy", "Wolves in winter", queue: true);

        await pipeline.Harness.WaitForStatusAsync(taskId, WorkflowStatus.Published, TimeSpan.FromMinutes(6));

        var task = PipelineHarness.TaskOf(await pipeline.Harness.GetTaskAsync(taskId));
        Assert.Equal(JsonValueKind.Object, task.GetProperty("plan").ValueKind);
        Assert.NotEmpty(task.GetProperty("plan").GetProperty("scenes").EnumerateArray());
        Assert.True(File.Exists(task.GetProperty("final_video").GetString()));
        Assert.False(Directory.Exists(pipeline.TaskDirectory("tidy", taskId)), "the workspace should be gone: the channel does not keep files");
    }
}
