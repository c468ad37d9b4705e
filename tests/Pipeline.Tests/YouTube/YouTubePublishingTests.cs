using System.Net;
using System.Text.Json;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.YouTube;

/// <summary>A channel's consent through the gateway, and its videos uploaded by the pipeline: metadata, publish slots, URL, and no token at rest or in logs.</summary>
public sealed class YouTubePublishingTests
{
    private const string Channels = """
        channels:
          - id: tube
            name: Tube
            max_concurrent_videos: 2
            auto_approve: [assets, video, audio, final]
            youtube: { publish_slots: "daily 17:00 Europe/Paris", privacy: public, category_id: "27", made_for_kids: false }
          - id: plain
            name: Plain
            auto_approve: [assets, video, audio, final]
        """;

    [Fact]
    public async Task A_consented_channel_uploads_each_video_once_in_its_own_slot_and_the_task_gets_the_url()
    {
        await using var youtube = await YouTubePipeline.StartAsync(Channels);
        // Under the 5-minute margin: every token is refreshed before it is used, never sent stale.
        youtube.Fake.AccessTokenSeconds = 240;
        Assert.Equal("not_connected", (await youtube.ChannelAsync("tube")).GetProperty("youtube").GetProperty("status").GetString());

        // The browser's way: Google redirects to the callback, which needs no bearer token.
        var connected = await youtube.ConsentInBrowserAsync("tube");
        Assert.Equal("tube", connected.GetProperty("channel_id").GetString());
        Assert.Equal("connected", (await youtube.ChannelAsync("tube")).GetProperty("youtube").GetProperty("status").GetString());
        // A second consent replaces the first (with a token the test knows, to look for it afterwards).
        var refreshToken = YouTubePipeline.NewRefreshToken();
        await youtube.ConsentWithAsync("tube", refreshToken);

        var first = await youtube.Harness.CreateTaskAsync("tube", "Lions <at> dawn", queue: true);
        var second = await youtube.Harness.CreateTaskAsync("tube", "Zebras at dusk", queue: true);
        var outboxed = await youtube.Harness.CreateTaskAsync("plain", "Not on YouTube", queue: true);
        await youtube.WaitForAsync(first, "published", TimeSpan.FromSeconds(60));
        await youtube.WaitForAsync(second, "published", TimeSpan.FromSeconds(60));
        await youtube.WaitForAsync(outboxed, "published", TimeSpan.FromSeconds(60));

        Assert.Equal(2, youtube.Fake.VideosCreated);
        var byTitle = youtube.Fake.Videos.ToDictionary(v => v.Metadata.GetProperty("snippet").GetProperty("title").GetString()!);
        var lions = byTitle["Lions at dawn"];
        Assert.Equal($"https://www.youtube.com/watch?v={lions.Id}", (await youtube.TaskAsync(first)).GetProperty("youtube_url").GetString());
        Assert.Equal($"https://www.youtube.com/watch?v={byTitle["Zebras at dusk"].Id}", (await youtube.TaskAsync(second)).GetProperty("youtube_url").GetString());
        Assert.Equal(YouTubePipeline.VideoBytes, lions.Content.Length);

        var status = lions.Metadata.GetProperty("status");
        Assert.True(status.GetProperty("containsSyntheticMedia").GetBoolean());
        Assert.False(status.GetProperty("selfDeclaredMadeForKids").GetBoolean());
        // Scheduled: uploaded private, YouTube makes it public at its slot.
        Assert.Equal("private", status.GetProperty("privacyStatus").GetString());
        Assert.Equal("27", lions.Metadata.GetProperty("snippet").GetProperty("categoryId").GetString());
        var slots = youtube.Fake.Videos
            .Select(v => DateTimeOffset.Parse(v.Metadata.GetProperty("status").GetProperty("publishAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .ToList();
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        Assert.All(slots, s => Assert.Equal(new TimeOnly(17, 0), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(s, paris).DateTime)));
        Assert.True(slots[0] > DateTimeOffset.UtcNow);
        Assert.Equal(1, (TimeZoneInfo.ConvertTime(slots[1], paris).Date - TimeZoneInfo.ConvertTime(slots[0], paris).Date).Days);

        // Refreshed before use: the consent's own access token was too close to its end to be sent.
        Assert.Contains("refresh_token", youtube.Fake.TokenGrants);
        Assert.Equal("not_connected", (await youtube.ChannelAsync("plain")).GetProperty("youtube").GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(youtube.Data, "outbox", "plain", outboxed + ".mp4")));

        // Nowhere in the database (any table, any encoding), nor in what the processes printed.
        var forms = YouTubePipeline.Forms(refreshToken);
        foreach (var (table, row) in await youtube.DatabaseTextAsync())
        {
            Assert.False(forms.Any(f => row.Contains(f, StringComparison.OrdinalIgnoreCase)), $"the refresh token is readable in {table}");
        }

        Assert.DoesNotContain(forms, f => youtube.Logs.Contains(f, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(refreshToken, (await youtube.ChannelAsync("tube")).ToString());
    }

    [Fact]
    public async Task Consent_errors_are_problem_details_with_stable_codes()
    {
        await using var youtube = await YouTubePipeline.StartAsync(Channels);
        var url = await youtube.ConsentUrlAsync("tube");
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        Assert.Equal("offline", query["access_type"]);
        Assert.Contains("youtube.upload", query["scope"]);
        var redirect = query["redirect_uri"]!;

        using (var anonymous = new HttpClient { BaseAddress = youtube.Harness.Api.BaseAddress })
        using (var response = await anonymous.GetAsync("/channels/tube/youtube/consent"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await AssertProblemAsync(youtube.Harness.Api.GetAsync("/channels/nope/youtube/consent"), HttpStatusCode.NotFound, "CHANNEL_NOT_FOUND");
        var forged = query["state"]![..^4] + "AAAA";
        await AssertProblemAsync(YouTubePipeline.CallbackAsync(redirect, youtube.Fake.IssueCode(), forged), HttpStatusCode.BadRequest, "CONSENT_INVALID");
        await AssertProblemAsync(YouTubePipeline.CallbackAsync(redirect, "4/not-a-code", query["state"]), HttpStatusCode.BadRequest, "CONSENT_INVALID");
        await AssertProblemAsync(YouTubePipeline.CallbackAsync(redirect, null, query["state"]), HttpStatusCode.BadRequest, "VALIDATION_FAILED");
        await AssertProblemAsync(new HttpClient().GetAsync(redirect + "?error=access_denied"), HttpStatusCode.BadRequest, "CONSENT_REFUSED");
        Assert.Equal("not_connected", (await youtube.ChannelAsync("tube")).GetProperty("youtube").GetProperty("status").GetString());
    }

    [Fact]
    public async Task YouTube_refusing_for_quota_makes_the_project_wait_and_the_task_retry_after_the_reset()
    {
        await using var youtube = await YouTubePipeline.StartAsync(Channels);
        await youtube.ConsentWithAsync("tube", YouTubePipeline.NewRefreshToken());
        youtube.Fake.FailNextSessionStart(403, "quotaExceeded");

        var taskId = await youtube.Harness.CreateTaskAsync("tube", "Over quota", queue: true);
        await youtube.WaitForAsync(taskId, "upload_error", TimeSpan.FromSeconds(60));

        var task = await youtube.TaskAsync(taskId);
        Assert.False(task.GetProperty("last_error_permanent").GetBoolean());
        Assert.Contains("quotaExceeded", task.GetProperty("status_reason").GetString());
        // The project's quota resets at midnight Pacific: the retry waits for it, not for the retry schedule's second.
        var pacific = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        var retryAt = task.GetProperty("next_retry_at").GetDateTime().ToUniversalTime();
        var local = TimeZoneInfo.ConvertTimeFromUtc(retryAt, pacific);
        Assert.True(retryAt > DateTime.UtcNow.AddMinutes(1), $"retry at {retryAt:O}");
        Assert.Equal(0, local.Hour);
        Assert.True(local.Minute == 0, $"retry at {local:O} Pacific");

        using var limits = await youtube.Harness.Api.GetAsync("/limits");
        var limiter = (await PipelineHarness.ReadJsonAsync(limits)).GetProperty("items").EnumerateArray()
            .Single(p => p.GetProperty("provider").GetString() == "youtube:default");
        Assert.Contains("quotaExceeded", limiter.GetProperty("back_off_reason").GetString());
        Assert.Equal(0, youtube.Fake.VideosCreated);
    }

    private static async Task AssertProblemAsync(Task<HttpResponseMessage> call, HttpStatusCode status, string code)
    {
        using var response = await call;
        var body = await PipelineHarness.ReadJsonAsync(response);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.True(body.TryGetProperty("request_id", out _), body.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
