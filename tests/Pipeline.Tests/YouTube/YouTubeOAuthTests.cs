using System.Net;
using System.Web;
using Microsoft.Extensions.Configuration;
using Pipeline.Grains.YouTube;
using Pipeline.Tests.Fakes;

namespace Pipeline.Tests.YouTube;

/// <summary>A channel's consent, its tokens, refreshes before expiry, and a revoked consent, against the fake Google.</summary>
public sealed class YouTubeOAuthTests : IAsyncLifetime
{
    private const string Callback = "http://127.0.0.1:5080/youtube/callback";

    private readonly YouTubeRig _rig = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public void The_consent_url_asks_for_upload_only_offline_with_consent_and_a_state_for_the_channel()
    {
        var url = _rig.OAuth.ConsentUrl("wild-africa", Callback);
        var query = HttpUtility.ParseQueryString(url.Query);

        Assert.Equal(_rig.Fake.BaseUrl + FakeYouTube.ConsentPath, url.GetLeftPart(UriPartial.Path));
        Assert.Equal(FakeYouTube.ClientId, query["client_id"]);
        Assert.Equal(Callback, query["redirect_uri"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("https://www.googleapis.com/auth/youtube.upload", query["scope"]);
        Assert.Equal("offline", query["access_type"]);
        Assert.Equal("consent", query["prompt"]);
        Assert.Equal("wild-africa", _rig.State.Verify(query["state"]));
        Assert.DoesNotContain(FakeYouTube.ClientSecret, url.ToString());
    }

    [Fact]
    public void Google_endpoints_are_the_default_and_both_move_with_the_base_url()
    {
        var google = YouTubeOAuthOptions.From(Configuration(new() { ["YOUTUBE_CLIENT_ID"] = "id", ["YOUTUBE_CLIENT_SECRET"] = "secret" }))!;
        Assert.Equal("https://accounts.google.com/o/oauth2/v2/auth", google.AuthorizationEndpoint.ToString());
        Assert.Equal("https://oauth2.googleapis.com/token", google.TokenEndpoint.ToString());
        Assert.DoesNotContain("secret", google.ToString());

        Assert.Null(YouTubeOAuthOptions.From(Configuration([])));
        var half = Assert.Throws<InvalidOperationException>(() => YouTubeOAuthOptions.From(Configuration(new() { ["YOUTUBE_CLIENT_ID"] = "id" })));
        Assert.Contains("YOUTUBE_CLIENT_SECRET", half.Message);
    }

    [Fact]
    public async Task A_callback_with_the_code_and_our_state_gives_the_channel_its_refresh_token()
    {
        // The consent page answers with a redirect to our callback, carrying the code and our state back.
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var consent = await http.GetAsync(_rig.OAuth.ConsentUrl("wild-africa", Callback));
        Assert.Equal(HttpStatusCode.Found, consent.StatusCode);
        var callback = HttpUtility.ParseQueryString(consent.Headers.Location!.Query);

        var authorization = await _rig.OAuth.ExchangeCodeAsync(callback["state"], callback["code"]!, Callback, CancellationToken.None);

        Assert.Equal("wild-africa", authorization.ChannelId);
        Assert.StartsWith("1//refresh-", authorization.RefreshToken);
        Assert.Equal(_rig.Clock.GetUtcNow().AddSeconds(_rig.Fake.AccessTokenSeconds), authorization.AccessToken.ExpiresAt);
        Assert.Equal(["authorization_code"], _rig.Fake.TokenGrants);
        Assert.DoesNotContain(authorization.RefreshToken, authorization.ToString());
        Assert.DoesNotContain(authorization.AccessToken.Value, authorization.ToString());

        // The first upload can use the consent's access token as it is.
        _rig.Tokens.Remember(authorization);
        Assert.Equal(authorization.AccessToken.Value, await _rig.Tokens.GetAsync(authorization.Credential, CancellationToken.None));
        Assert.Single(_rig.Fake.TokenGrants);
    }

    [Fact]
    public async Task A_forged_or_altered_or_expired_state_is_refused_before_google_is_asked()
    {
        var code = _rig.Fake.IssueCode();
        var forged = new ConsentState(new EncryptionKeys(EncryptionKey.Generate()), _rig.Clock, TimeSpan.FromMinutes(30)).Issue("wild-africa");
        var ours = _rig.State.Issue("wild-africa");
        var otherChannel = _rig.State.Issue("northern-forests");
        var spliced = ours.Split('.')[0] + "." + otherChannel.Split('.')[1];

        foreach (var state in new[] { forged, spliced, ours + "x", "", "a.b", null })
        {
            await Assert.ThrowsAsync<YouTubeConsentException>(() => _rig.OAuth.ExchangeCodeAsync(state, code, Callback, CancellationToken.None));
        }

        _rig.Clock.Advance(TimeSpan.FromMinutes(31));
        var expired = await Assert.ThrowsAsync<YouTubeConsentException>(() => _rig.OAuth.ExchangeCodeAsync(ours, code, Callback, CancellationToken.None));
        Assert.Contains("expired", expired.Message);
        Assert.Empty(_rig.Fake.TokenGrants);
    }

    [Fact]
    public void A_state_signed_with_the_previous_key_is_still_accepted_during_a_rotation()
    {
        var old = _rig.State.Issue("wild-africa");
        var rotated = new ConsentState(new EncryptionKeys(EncryptionKey.Generate(), previous: _rig.Keys.Current), _rig.Clock, TimeSpan.FromMinutes(30));

        Assert.Equal("wild-africa", rotated.Verify(old));
    }

    [Fact]
    public async Task A_code_google_refuses_is_a_consent_error()
    {
        var e = await Assert.ThrowsAsync<YouTubeConsentException>(() =>
            _rig.OAuth.ExchangeCodeAsync(_rig.State.Issue("wild-africa"), "4/never-issued", Callback, CancellationToken.None));
        Assert.Contains("invalid_grant", e.Message);
    }

    [Fact]
    public async Task An_access_token_is_reused_while_fresh_and_refreshed_when_less_than_five_minutes_are_left()
    {
        var credential = _rig.Consented();

        var first = await _rig.Tokens.GetAsync(credential, CancellationToken.None);
        _rig.Clock.Advance(TimeSpan.FromMinutes(54));
        var stillFresh = await _rig.Tokens.GetAsync(credential, CancellationToken.None);
        Assert.Equal(first, stillFresh);
        Assert.Equal(["refresh_token"], _rig.Fake.TokenGrants);

        // 3599 s tokens: at 56 min, under 5 min are left.
        _rig.Clock.Advance(TimeSpan.FromMinutes(2));
        var refreshed = await _rig.Tokens.GetAsync(credential, CancellationToken.None);
        Assert.NotEqual(first, refreshed);
        Assert.Equal(["refresh_token", "refresh_token"], _rig.Fake.TokenGrants);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_refresh()
    {
        var credential = _rig.Consented();

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _rig.Tokens.GetAsync(credential, CancellationToken.None)));

        Assert.Single(tokens.Distinct());
        Assert.Single(_rig.Fake.TokenGrants);
    }

    [Fact]
    public async Task A_new_consent_replaces_the_cached_token_of_the_old_one()
    {
        var before = _rig.Consented();
        var old = await _rig.Tokens.GetAsync(before, CancellationToken.None);

        var after = before with { RefreshToken = _rig.Fake.IssueRefreshToken() };

        Assert.NotEqual(old, await _rig.Tokens.GetAsync(after, CancellationToken.None));
    }

    [Fact]
    public async Task A_revoked_refresh_token_is_a_revocation_that_puts_uploads_on_hold_and_no_token_is_logged()
    {
        var credential = _rig.Consented();
        var access = await _rig.Tokens.GetAsync(credential, CancellationToken.None);
        _rig.Fake.Revoke(credential.RefreshToken);
        _rig.Clock.Advance(TimeSpan.FromHours(1));

        var e = await Assert.ThrowsAsync<YouTubeAuthorizationRevokedException>(() => _rig.Tokens.GetAsync(credential, CancellationToken.None));

        Assert.Equal("wild-africa", e.ChannelId);
        Assert.Contains("revoked: uploads on hold", e.Message);
        Assert.Equal("revoked: uploads on hold", YouTubeAuthorizationRevokedException.Reason);
        Assert.Contains(_rig.Logs.Lines, l => l.Contains("revoked", StringComparison.Ordinal));
        Assert.All(_rig.Logs.Lines, l =>
        {
            Assert.DoesNotContain(credential.RefreshToken, l);
            Assert.DoesNotContain(access, l);
            Assert.DoesNotContain(FakeYouTube.ClientSecret, l);
        });
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
