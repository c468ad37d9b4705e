using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.YouTube;

/// <summary>A revoked consent puts the channel's uploads on hold, with an alert and the reason on the task; a new consent lifts it.</summary>
public sealed class YouTubeHoldTests
{
    private const string Channels = """
        channels:
          - id: tube
            name: Tube
            auto_approve: [assets, video, audio, final]
            youtube: { project: hold }
        """;

    [Fact]
    public async Task A_revoked_token_holds_the_uploads_with_an_alert_until_a_new_consent()
    {
        await using var youtube = await YouTubePipeline.StartAsync(Channels);
        // The consent's access token is too short-lived to use: the upload has to refresh, and Google refuses.
        youtube.Fake.AccessTokenSeconds = 240;
        var revoked = YouTubePipeline.NewRefreshToken();
        await youtube.ConsentWithAsync("tube", revoked);
        youtube.Fake.Revoke(revoked);

        var taskId = await youtube.Harness.CreateTaskAsync("tube", "Held back", queue: true);
        await youtube.WaitForAsync(taskId, "upload_error", TimeSpan.FromSeconds(60));

        var task = await youtube.TaskAsync(taskId);
        Assert.Contains("on hold", task.GetProperty("status_reason").GetString());
        Assert.Contains("consent", task.GetProperty("status_reason").GetString());
        var channel = (await youtube.ChannelAsync("tube")).GetProperty("youtube");
        Assert.Equal("on_hold", channel.GetProperty("status").GetString());
        Assert.Contains("revoked", channel.GetProperty("reason").GetString());
        await Eventually.GetAsync(() => Task.FromResult(youtube.Harness.Slack.Messages), m => m.Any(t => t.Contains("on hold", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10), "the alert");
        Assert.Equal(0, youtube.Fake.VideosCreated);

        // The owner consents again: the hold goes and the held upload goes on by itself.
        await youtube.ConsentWithAsync("tube", YouTubePipeline.NewRefreshToken());
        await youtube.WaitForAsync(taskId, "published", TimeSpan.FromSeconds(60));
        Assert.Equal("connected", (await youtube.ChannelAsync("tube")).GetProperty("youtube").GetProperty("status").GetString());
        Assert.Equal(1, youtube.Fake.VideosCreated);
        Assert.DoesNotContain(YouTubePipeline.Forms(revoked), f => youtube.Logs.Contains(f, StringComparison.OrdinalIgnoreCase));
    }
}
