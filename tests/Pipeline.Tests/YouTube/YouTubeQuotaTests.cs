using System.Globalization;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.YouTube;

/// <summary>A Cloud project's daily quota, through its limiter: a task past it waits and says why, and goes on after the reset.</summary>
public sealed class YouTubeQuotaTests
{
    [Fact]
    public async Task A_task_past_the_daily_quota_waits_with_a_reason_and_uploads_after_the_reset()
    {
        // Near midnight the two resets below would fall on different days.
        if (DateTime.UtcNow.TimeOfDay > new TimeSpan(23, 58, 0))
        {
            await Task.Delay(DateTime.UtcNow.Date.AddDays(1) - DateTime.UtcNow + TimeSpan.FromSeconds(1));
        }

        // One upload a day. The day first ends tonight; once the first upload has spent it, it ends in a few
        // seconds instead (both resets are later today, so the quota day, and what it has spent, stay the same).
        await using var youtube = await YouTubePipeline.StartAsync(Channels("23:59:59"));
        await youtube.ConsentWithAsync("tube", YouTubePipeline.NewRefreshToken());

        var first = await youtube.Harness.CreateTaskAsync("tube", "Today's", queue: true);
        await youtube.WaitForAsync(first, "published", TimeSpan.FromSeconds(60));

        var reset = DateTime.UtcNow.AddSeconds(15);
        reset = reset.AddTicks(-(reset.Ticks % TimeSpan.TicksPerSecond));
        await File.WriteAllTextAsync(youtube.Harness.ChannelsPath, Channels(reset.ToString("HH:mm:ss", CultureInfo.InvariantCulture)));
        using (var reload = await youtube.Harness.Api.PostAsync("/channels/reload", null))
        {
            Assert.True(reload.IsSuccessStatusCode, await reload.Content.ReadAsStringAsync());
        }

        var second = await youtube.Harness.CreateTaskAsync("tube", "Tomorrow's", queue: true);
        var waiting = await Eventually.GetAsync(() => youtube.TaskAsync(second),
            t => t.GetProperty("status_reason").GetString()?.Contains("quota", StringComparison.Ordinal) == true,
            TimeSpan.FromSeconds(30), "the second task to say it waits for the quota");
        Assert.True(DateTime.UtcNow < reset, "the machine was too slow: the second task asked for its quota after the reset");
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

    private static string Channels(string resetTime) => $$"""
        providers:
          "youtube:test": { units_per_day: 2000, uploads_per_day: 1, reset_time_zone: UTC, reset_time: "{{resetTime}}" }
        channels:
          - id: tube
            name: Tube
            max_concurrent_videos: 2
            auto_approve: [assets, video, audio, final]
            youtube: { project: test }
        """;

    private const System.Text.Json.JsonValueKind JsonNull = System.Text.Json.JsonValueKind.Null;
}
