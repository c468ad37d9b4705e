using System.Text.Json;
using Pipeline.Tests.Fakes;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.YouTube;

/// <summary>A silo SIGKILLed during an upload: the next one resumes the stored session from the byte YouTube acknowledged.</summary>
public sealed class YouTubeResumeTests
{
    internal const string Channels = """
        channels:
          - id: tube
            name: Tube
            auto_approve: [assets, video, audio, final]
            keep_files: true
            youtube: { project: resume }
        """;

    [Fact]
    public async Task A_silo_killed_mid_upload_is_resumed_from_the_acknowledged_byte_not_from_zero()
    {
        // Retries far enough apart that a slow machine starting the second silo has not used them up first.
        await using var youtube = await YouTubePipeline.StartAsync(Channels, retrySchedule: "15,15,15,15");
        await youtube.ConsentWithAsync("tube", YouTubePipeline.NewRefreshToken());
        // Not on a chunk boundary: the resume must start where the server says, not where the client counted.
        const long acknowledged = (2 * YouTubePipeline.Chunk) + 1_000;
        youtube.Fake.InterruptAfter(acknowledged);

        var taskId = await youtube.Harness.CreateTaskAsync("tube", "Cut short", queue: true);
        await Eventually.GetAsync(() => Task.FromResult(youtube.Fake.Ranges.Sum(r => r.Last - r.First + 1)), sent => sent >= acknowledged,
            TimeSpan.FromSeconds(60), "the upload to reach the break");

        await KillAndReplaceSiloAsync(youtube);
        youtube.Fake.Recover();
        await youtube.WaitForAsync(taskId, "published", TimeSpan.FromSeconds(180));

        var video = Assert.Single(youtube.Fake.Videos);
        Assert.Single(youtube.Fake.Requests, r => r.Method == "POST" && r.Path == FakeYouTube.UploadPath);
        var ranges = youtube.Fake.Ranges;
        var broken = ranges.Select((r, i) => (r, i)).First(x => x.r.Last + 1 >= acknowledged).i;
        Assert.Equal(acknowledged - 1, ranges[broken].Last);
        Assert.Equal(acknowledged, ranges[broken + 1].First);
        Assert.DoesNotContain(ranges.Skip(broken + 1), r => r.First == 0);
        Assert.True(youtube.Fake.StatusQueries >= 1);
        var file = Path.Combine(youtube.Workspaces, "tube", taskId, "final", "video.mp4");
        Assert.Equal(await File.ReadAllBytesAsync(file), video.Content);
        Assert.Equal($"https://www.youtube.com/watch?v={video.Id}", (await youtube.TaskAsync(taskId)).GetProperty("youtube_url").GetString());
    }

    /// <summary>
    /// A second silo joins, then the first dies (a lone dead silo would leave nobody to declare it dead). The
    /// task's grain comes back on the new one, which knows nothing but what is stored.
    /// </summary>
    internal static async Task KillAndReplaceSiloAsync(YouTubePipeline youtube)
    {
        var doomed = youtube.Harness.Silos[0];
        await youtube.Harness.StartSiloAsync();
        await youtube.Harness.KillSiloAsync(doomed);
    }
}
