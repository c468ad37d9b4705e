using System.Text.Json;
using Pipeline.Grains.YouTube;
using Pipeline.Tests.Fakes;

namespace Pipeline.Tests.YouTube;

/// <summary>Resumable uploads against the fake YouTube: whole, interrupted and resumed, lost answers, quota.</summary>
public sealed class YouTubeUploaderTests : IAsyncLifetime
{
    private const int Size = (4 * YouTubeRig.Chunk) + 12_345;

    private readonly YouTubeRig _rig = new();
    private readonly List<Uri> _sessions = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private static YouTubeVideoMetadata Metadata => YouTubeVideoMetadata.Create(
        "Lions <at> dawn", "A pride wakes up.", ["lions", "big cats"], publishAt: new DateTimeOffset(2026, 3, 3, 16, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_video_is_uploaded_in_chunks_with_its_metadata_and_its_id_comes_back()
    {
        var credential = _rig.Consented();
        var file = _rig.VideoFile(Size);

        var video = await _rig.Uploader.UploadAsync(credential, file, Metadata, Record, CancellationToken.None);

        var made = Assert.Single(_rig.Fake.Videos);
        Assert.Equal(made.Id, video.VideoId);
        Assert.Equal($"https://www.youtube.com/watch?v={made.Id}", video.Url.ToString());
        Assert.Equal(File.ReadAllBytes(file), made.Content);
        Assert.Equal(5, _rig.Fake.Ranges.Count);
        Assert.Single(_sessions);

        var snippet = made.Metadata.GetProperty("snippet");
        Assert.Equal("Lions at dawn", snippet.GetProperty("title").GetString());
        Assert.Equal("A pride wakes up.", snippet.GetProperty("description").GetString());
        Assert.Equal(["lions", "big cats"], snippet.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("15", snippet.GetProperty("categoryId").GetString());
        var status = made.Metadata.GetProperty("status");
        Assert.Equal("private", status.GetProperty("privacyStatus").GetString());
        Assert.Equal("2026-03-03T16:00:00Z", status.GetProperty("publishAt").GetString());
        Assert.False(status.GetProperty("selfDeclaredMadeForKids").GetBoolean());
        Assert.True(status.GetProperty("containsSyntheticMedia").GetBoolean());

        var start = _rig.Fake.Requests.First(r => r.Method == "POST" && r.Path == FakeYouTube.UploadPath);
        Assert.Equal("snippet,status", start.Query["part"]);
        Assert.Equal(Size.ToString(System.Globalization.CultureInfo.InvariantCulture), start.Header("X-Upload-Content-Length"));
        Assert.Equal("video/mp4", start.Header("X-Upload-Content-Type"));
    }

    [Fact]
    public async Task The_session_is_stored_before_the_first_byte_is_sent()
    {
        var sentBeforeStored = -1;
        await _rig.Uploader.UploadAsync(_rig.Consented(), _rig.VideoFile(Size), Metadata, async (uri, _) =>
        {
            await Task.Yield();
            sentBeforeStored = _rig.Fake.Ranges.Count;
            _sessions.Add(uri);
        }, CancellationToken.None);

        Assert.Equal(0, sentBeforeStored);
        Assert.StartsWith(_rig.Fake.UploadEndpoint + "?", Assert.Single(_sessions).ToString());
    }

    [Theory]
    [InlineData(FakeYouTube.Interruption.DropConnection)]
    [InlineData(FakeYouTube.Interruption.ServiceUnavailable)]
    public async Task An_upload_broken_midway_resumes_after_a_restart_from_the_byte_the_server_acknowledged(FakeYouTube.Interruption how)
    {
        var credential = _rig.Consented();
        var file = _rig.VideoFile(Size);
        // Not on a chunk boundary: the client must continue from what the server says it has, not from its own count.
        const long acknowledged = (2 * YouTubeRig.Chunk) + 1_000;
        _rig.Fake.InterruptAfter(acknowledged, how);

        var broken = await Assert.ThrowsAsync<YouTubeUploadException>(() =>
            _rig.Uploader.UploadAsync(credential, file, Metadata, Record, CancellationToken.None));
        Assert.True(broken.Transient);
        Assert.Equal(0, _rig.Fake.VideosCreated);

        _rig.Restart();
        _rig.Fake.Recover();
        var requestsBefore = _rig.Fake.Requests.Count;
        var video = await _rig.Uploader.ResumeAsync(credential, file, Assert.Single(_sessions), CancellationToken.None);

        var made = Assert.Single(_rig.Fake.Videos);
        Assert.Equal(made.Id, video.VideoId);
        Assert.Equal(File.ReadAllBytes(file), made.Content);
        var ranges = _rig.Fake.Ranges;
        var resumedAt = ranges.Index().First(r => r.Item.Last >= acknowledged).Index;
        Assert.Equal(acknowledged - 1, ranges[resumedAt - 1].Last);
        Assert.Equal(acknowledged, ranges[resumedAt].First);
        Assert.Single(ranges, r => r.First == 0);
        Assert.Equal(Size, ranges.Sum(r => r.Last - r.First + 1));
        // The resumed upload began by asking the server what it had.
        var afterRestart = _rig.Fake.Requests.Skip(requestsBefore).First(r => r.Path == FakeYouTube.UploadPath);
        Assert.Equal(("PUT", $"bytes */{Size}"), (afterRestart.Method, afterRestart.Header("Content-Range")));
    }

    [Theory]
    [InlineData(FakeYouTube.Interruption.DropConnection)]
    [InlineData(FakeYouTube.Interruption.ServiceUnavailable)]
    public async Task A_short_break_is_recovered_in_place_by_asking_the_server_what_it_has(FakeYouTube.Interruption how)
    {
        const long acknowledged = YouTubeRig.Chunk + 500;
        _rig.Fake.InterruptAfter(acknowledged, how, failures: 1);

        var video = await _rig.Uploader.UploadAsync(_rig.Consented(), _rig.VideoFile(Size), Metadata, Record, CancellationToken.None);

        Assert.Equal(Assert.Single(_rig.Fake.Videos).Id, video.VideoId);
        Assert.Equal(1, _rig.Fake.StatusQueries);
        Assert.Contains(_rig.Fake.Ranges, r => r.First == acknowledged);
        Assert.Single(_rig.Fake.Ranges, r => r.First == 0);
    }

    [Fact]
    public async Task When_the_last_answer_is_lost_resuming_returns_the_video_without_sending_it_again()
    {
        var credential = _rig.Consented();
        var file = _rig.VideoFile(Size);
        _rig.Fake.InterruptAfter(Size);

        await Assert.ThrowsAsync<YouTubeUploadException>(() => _rig.Uploader.UploadAsync(credential, file, Metadata, Record, CancellationToken.None));
        var made = Assert.Single(_rig.Fake.Videos);
        var rangesBefore = _rig.Fake.Ranges.Count;

        _rig.Restart();
        _rig.Fake.Recover();
        var video = await _rig.Uploader.ResumeAsync(credential, file, Assert.Single(_sessions), CancellationToken.None);

        Assert.Equal(made.Id, video.VideoId);
        Assert.Equal(1, _rig.Fake.VideosCreated);
        Assert.Equal(rangesBefore, _rig.Fake.Ranges.Count);
    }

    [Fact]
    public async Task When_the_last_answer_is_lost_briefly_the_same_call_gets_the_video_from_the_status_query()
    {
        _rig.Fake.InterruptAfter(Size, FakeYouTube.Interruption.DropConnection, failures: 1);

        var video = await _rig.Uploader.UploadAsync(_rig.Consented(), _rig.VideoFile(Size), Metadata, Record, CancellationToken.None);

        Assert.Equal(Assert.Single(_rig.Fake.Videos).Id, video.VideoId);
        Assert.Equal(1, _rig.Fake.StatusQueries);
    }

    [Fact]
    public async Task An_access_token_google_no_longer_accepts_is_replaced_once_and_the_upload_goes_on()
    {
        var credential = _rig.Consented();
        await _rig.Tokens.GetAsync(credential, CancellationToken.None);
        _rig.Fake.InvalidateAccessTokens();

        var video = await _rig.Uploader.UploadAsync(credential, _rig.VideoFile(Size), Metadata, Record, CancellationToken.None);

        Assert.Equal(Assert.Single(_rig.Fake.Videos).Id, video.VideoId);
        Assert.Equal(["refresh_token", "refresh_token"], _rig.Fake.TokenGrants);
    }

    [Fact]
    public async Task Resuming_a_finished_session_twice_gives_the_same_video_and_makes_no_other()
    {
        var credential = _rig.Consented();
        var file = _rig.VideoFile(Size);
        var first = await _rig.Uploader.UploadAsync(credential, file, Metadata, Record, CancellationToken.None);

        var again = await _rig.Uploader.ResumeAsync(credential, file, _sessions[0], CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Equal(1, _rig.Fake.VideosCreated);
    }

    [Fact]
    public async Task A_session_the_server_no_longer_knows_is_reported_as_gone()
    {
        var credential = _rig.Consented();
        var file = _rig.VideoFile(Size);
        _rig.Fake.InterruptAfter(YouTubeRig.Chunk);
        await Assert.ThrowsAsync<YouTubeUploadException>(() => _rig.Uploader.UploadAsync(credential, file, Metadata, Record, CancellationToken.None));
        _rig.Fake.Recover();
        _rig.Fake.ExpireSessions();

        var e = await Assert.ThrowsAsync<YouTubeUploadSessionGoneException>(() =>
            _rig.Uploader.ResumeAsync(credential, file, _sessions[0], CancellationToken.None));

        Assert.Equal(404, e.StatusCode);
        Assert.False(e.Transient);
        Assert.Equal(0, _rig.Fake.VideosCreated);
    }

    [Theory]
    [InlineData(403, "quotaExceeded")]
    [InlineData(403, "uploadLimitExceeded")]
    [InlineData(429, "rateLimitExceeded")]
    public async Task Quota_refusals_carry_youtubes_reason(int status, string reason)
    {
        _rig.Fake.FailNextSessionStart(status, reason);

        var e = await Assert.ThrowsAsync<YouTubeQuotaExceededException>(() =>
            _rig.Uploader.UploadAsync(_rig.Consented(), _rig.VideoFile(Size), Metadata, Record, CancellationToken.None));

        Assert.Equal(reason, e.Reason);
        Assert.Equal(status, e.StatusCode);
        Assert.Empty(_sessions);
        Assert.Equal(0, _rig.Fake.VideosCreated);
    }

    [Fact]
    public async Task Another_refusal_is_permanent_and_not_a_quota_error()
    {
        _rig.Fake.FailNextSessionStart(400, "invalidTitle");

        var e = await Assert.ThrowsAsync<YouTubeUploadException>(() =>
            _rig.Uploader.UploadAsync(_rig.Consented(), _rig.VideoFile(Size), Metadata, Record, CancellationToken.None));

        Assert.IsNotType<YouTubeQuotaExceededException>(e);
        Assert.False(e.Transient);
        Assert.Equal(400, e.StatusCode);
    }

    [Fact]
    public async Task A_revoked_channel_uploads_nothing_and_says_why()
    {
        var credential = _rig.Consented();
        _rig.Fake.Revoke(credential.RefreshToken);

        var e = await Assert.ThrowsAsync<YouTubeAuthorizationRevokedException>(() =>
            _rig.Uploader.UploadAsync(credential, _rig.VideoFile(Size), Metadata, Record, CancellationToken.None));

        Assert.Equal(credential.ChannelId, e.ChannelId);
        Assert.Empty(_sessions);
    }

    [Fact]
    public async Task The_access_token_is_sent_as_a_bearer_and_never_logged()
    {
        var credential = _rig.Consented();
        var access = await _rig.Tokens.GetAsync(credential, CancellationToken.None);

        await _rig.Uploader.UploadAsync(credential, _rig.VideoFile(Size), Metadata, Record, CancellationToken.None);

        Assert.Equal("Bearer " + access, _rig.Fake.Requests.First(r => r.Method == "POST" && r.Path == FakeYouTube.UploadPath).Header("Authorization"));
        Assert.NotEmpty(_rig.Logs.Lines);
        Assert.All(_rig.Logs.Lines, l =>
        {
            Assert.DoesNotContain(access, l);
            Assert.DoesNotContain(credential.RefreshToken, l);
            Assert.DoesNotContain("upload_id", l);
        });
    }

    private Task Record(Uri session, CancellationToken cancellationToken)
    {
        _sessions.Add(session);
        return Task.CompletedTask;
    }
}
