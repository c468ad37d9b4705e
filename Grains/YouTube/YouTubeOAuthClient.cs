using Google.Apis.Auth.OAuth2;
using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Requests;
using Google.Apis.Auth.OAuth2.Responses;
using Microsoft.Extensions.Logging;

namespace Pipeline.Grains.YouTube;

/// <summary>
/// A channel's OAuth with Google, on Google.Apis.Auth's authorization-code flow (pointed at the configured
/// endpoints): the consent URL, the callback's code exchange, and refreshes. It stores nothing: the refresh
/// token goes back to the caller, to be encrypted into the channel's state.
/// </summary>
public sealed partial class YouTubeOAuthClient : IDisposable
{
    private const string InvalidGrant = "invalid_grant";
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private readonly GoogleAuthorizationCodeFlow _flow;
    private readonly ConsentState _state;
    private readonly TimeProvider _clock;
    private readonly ILogger<YouTubeOAuthClient> _logger;

    public YouTubeOAuthClient(YouTubeOAuthOptions options, ConsentState state, TimeProvider clock, ILogger<YouTubeOAuthClient> logger)
    {
        _state = state;
        _clock = clock;
        _logger = logger;
        _flow = new GoogleAuthorizationCodeFlow(new EndpointsInitializer(
            options.AuthorizationEndpoint.ToString(), options.TokenEndpoint.ToString(), new Uri(options.TokenEndpoint, "revoke").ToString())
        {
            ClientSecrets = new ClientSecrets { ClientId = options.ClientId, ClientSecret = options.ClientSecret },
            Scopes = [YouTubeOAuthOptions.Scope],
            Clock = new GoogleClock(clock),
            // No data store: tokens live encrypted in the channel's grain state, not in Google's file store.
            DataStore = null,
        });
    }

    /// <summary>
    /// The URL a person opens to let the pipeline upload to <paramref name="channelId"/>'s YouTube channel:
    /// upload scope only, offline access (a refresh token), consent asked again (so Google issues a new
    /// refresh token even for an account that consented before), and a signed state naming the channel.
    /// </summary>
    /// <param name="redirectUri">Our callback, exactly as registered with the OAuth client.</param>
    public Uri ConsentUrl(string channelId, string redirectUri)
    {
        var request = (GoogleAuthorizationCodeRequestUrl)_flow.CreateAuthorizationCodeRequest(redirectUri);
        request.AccessType = "offline";
        request.Prompt = "consent";
        request.State = _state.Issue(channelId);
        return request.Build();
    }

    /// <summary>Completes a consent: checks the state, then trades the code for the channel's tokens.</summary>
    /// <exception cref="YouTubeConsentException">A forged or expired state, a refused code, or no refresh token.</exception>
    public async Task<YouTubeAuthorization> ExchangeCodeAsync(string? state, string code, string redirectUri, CancellationToken cancellationToken)
    {
        var channelId = _state.Verify(state);
        var asked = _clock.GetUtcNow();
        TokenResponse token;
        try
        {
            token = await _flow.ExchangeCodeForTokenAsync(channelId, code, redirectUri, cancellationToken);
        }
        catch (TokenResponseException e)
        {
            throw new YouTubeConsentException(
                $"Google refused the consent code for channel '{channelId}' ({e.Error?.Error ?? "no error code"}): start the consent again.", e);
        }

        if (string.IsNullOrEmpty(token.RefreshToken))
        {
            throw new YouTubeConsentException(
                $"Google gave no refresh token for channel '{channelId}': the consent must ask for offline access with prompt=consent.");
        }

        LogConsented(channelId, token.Scope);
        return new YouTubeAuthorization(channelId, token.RefreshToken, ToAccessToken(token, asked), token.Scope);
    }

    /// <summary>A new access token from the channel's refresh token.</summary>
    /// <exception cref="YouTubeAuthorizationRevokedException">Google answered <c>invalid_grant</c>.</exception>
    /// <exception cref="YouTubeUploadException">Any other refusal (transient for 5xx and network failures).</exception>
    public async Task<AccessToken> RefreshAsync(YouTubeCredential credential, CancellationToken cancellationToken)
    {
        var asked = _clock.GetUtcNow();
        try
        {
            var token = await _flow.RefreshTokenAsync(credential.ChannelId, credential.RefreshToken, cancellationToken);
            var access = ToAccessToken(token, asked);
            LogRefreshed(credential.ChannelId, access.ExpiresAt);
            return access;
        }
        catch (TokenResponseException e) when (e.Error?.Error == InvalidGrant)
        {
            LogRevoked(credential.ChannelId, e.Error.ErrorDescription);
            throw new YouTubeAuthorizationRevokedException(credential.ChannelId, e.Error.ErrorDescription);
        }
        catch (TokenResponseException e)
        {
            var status = (int?)e.StatusCode;
            throw new YouTubeUploadException(
                $"Google refused to refresh the access token of channel '{credential.ChannelId}' ({e.Error?.Error ?? "no error code"}).",
                transient: status is null or >= 500 or 429, status, e);
        }
        catch (HttpRequestException e)
        {
            throw new YouTubeUploadException(
                $"Google's token endpoint could not be reached to refresh channel '{credential.ChannelId}'.", transient: true, null, e);
        }
    }

    public void Dispose() => _flow.Dispose();

    // Counted from when we asked, not when Google answered: a token is never believed fresher than it is.
    private static AccessToken ToAccessToken(TokenResponse token, DateTimeOffset asked) =>
        new(token.AccessToken, asked + (token.ExpiresInSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultLifetime));

    // Google.Apis.Auth lets a subclass of its initializer choose the endpoints (the constructor is protected).
    private sealed class EndpointsInitializer(string authorization, string token, string revoke)
        : GoogleAuthorizationCodeFlow.Initializer(authorization, token, revoke);

    [LoggerMessage(Level = LogLevel.Information, Message = "YouTube consent completed for channel {ChannelId} (scope {Scope})")]
    private partial void LogConsented(string channelId, string? scope);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refreshed the YouTube access token of channel {ChannelId}; it expires at {ExpiresAt:O}")]
    private partial void LogRefreshed(string channelId, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "YouTube authorization of channel {ChannelId} revoked (invalid_grant: {Detail}): uploads on hold until a new consent")]
    private partial void LogRevoked(string channelId, string? detail);
}
