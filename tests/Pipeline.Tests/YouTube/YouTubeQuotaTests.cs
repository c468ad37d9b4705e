using System.Globalization;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.YouTube;

/// <summary>A Cloud project's daily quota, through its limiter: a task past it waits and says why, and goes on after the reset.</summary>
public sealed class YouTubeQuotaTests
{
    [Fact]
    public async Task A_task_past_the_daily_quota_waits_with_a_reason_and_uploads_after_the_reset()
    {
        // One upload a day, and a day that ends within the test.
        var reset = DateTime.UtcNow.AddSeconds(50);
        var channels = $$"""
            providers:
              "youtube:test": { units_per_day: 2000, uploads_per_day: 1, reset_time_zone: UTC, reset_time: "{{reset.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}}" }
            channels:
              - id: tube
                name: Tube
                max_concurrent_videos: 2
                auto_approve: [assets, video, audio, final]
                youtube: { project: test }
            """;
        await using var youtube = await YouTubePipeline.StartAsync(channels);
        await youtube.ConsentWithAsync("tube", YouTubePipeline.NewRefreshToken());

        var first = await youtube.Harness.CreateTaskAsync("tube", "Today's", queue: true);
        await youtube.WaitForAsync(first, "published", TimeSpan.FromSeconds(30));
        Assert.True(DateTime.UtcNow < reset.AddSeconds(-5), "the machine was too slow: the first upload ended after the quota's reset");

        var second = await youtube.Harness.CreateTaskAsync("tube", "Tomorrow's", queue: true);
        var waiting = await Eventually.GetAsync(() => youtube.TaskAsync(second),
            t => t.GetProperty("status_reason").GetString()?.Contains("quota", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(20), "the second task to say it waits for the quota");
        Assert.Equal("uploading", waiting.GetProperty("status").GetString());
        var reason = waiting.GetProperty("status_reason").GetString()!;
        Assert.Contains("youtube:test", reason);
        Assert.Contains(reset.ToString("HH:mm:ss", CultureInfo.InvariantCulture), reason);
        Assert.Equal(1, youtube.Fake.VideosCreated);

        await youtube.WaitForAsync(second, "published", TimeSpan.FromSeconds(90));
        Assert.True(DateTime.UtcNow >= reset);
        Assert.Equal(2, youtube.Fake.VideosCreated);
        Assert.Equal(JsonNull, (await youtube.TaskAsync(second)).GetProperty("status_reason").ValueKind);
    }

    private const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;
}
