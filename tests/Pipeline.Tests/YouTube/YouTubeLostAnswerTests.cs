using System.Text.Json;
using Pipeline.Tests.Fakes;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.YouTube;

/// <summary>A crash after YouTube has every byte but before the video id is recorded: the resume gets the video back, no second one is made.</summary>
public sealed class YouTubeLostAnswerTests
{
    [Fact]
    public async Task A_silo_killed_after_the_last_byte_but_before_the_id_was_recorded_makes_no_second_video()
    {
        await using var youtube = await YouTubePipeline.StartAsync(YouTubeResumeTests.Channels, retrySchedule: "15,15,15,15");
        await youtube.ConsentWithAsync("tube", YouTubePipeline.NewRefreshToken());
        // Every byte arrives and YouTube makes the video; the answer is lost, and the server stays unreachable.
        youtube.Fake.InterruptAfter(YouTubePipeline.VideoBytes);

        var taskId = await youtube.Harness.CreateTaskAsync("tube", "Answer lost", queue: true);
        await Eventually.GetAsync(() => Task.FromResult(youtube.Fake.VideosCreated), made => made == 1, TimeSpan.FromSeconds(60), "the video to be made");
        var before = await youtube.TaskAsync(taskId);
        Assert.Contains(before.GetProperty("status").GetString(), new[] { "uploading", "upload_error" });
        Assert.Equal(JsonValueKind.Null, before.GetProperty("youtube_url").ValueKind);

        await YouTubeResumeTests.KillAndReplaceSiloAsync(youtube);
        youtube.Fake.Recover();
        await youtube.WaitForAsync(taskId, "published", TimeSpan.FromSeconds(180));

        var video = Assert.Single(youtube.Fake.Videos);
        Assert.Single(youtube.Fake.Requests, r => r.Method == "POST" && r.Path == FakeYouTube.UploadPath);
        Assert.Equal($"https://www.youtube.com/watch?v={video.Id}", (await youtube.TaskAsync(taskId)).GetProperty("youtube_url").GetString());
    }
}
