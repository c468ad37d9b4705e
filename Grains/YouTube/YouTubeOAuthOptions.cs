using Microsoft.Extensions.Configuration;

namespace Pipeline.Grains.YouTube;

/// <summary>The Google OAuth app through which channels consent to our uploads.</summary>
/// <param name="ClientId">YOUTUBE_CLIENT_ID.</param>
/// <param name="ClientSecret">YOUTUBE_CLIENT_SECRET; never printed.</param>
/// <param name="AuthorizationEndpoint">Where a person consents.</param>
/// <param name="TokenEndpoint">Where codes and refresh tokens are exchanged for access tokens.</param>
public sealed record YouTubeOAuthOptions(string ClientId, string ClientSecret, Uri AuthorizationEndpoint, Uri TokenEndpoint)
{
    public const string Scope = "https://www.googleapis.com/auth/youtube.upload";
    public static readonly Uri GoogleAuthorizationEndpoint = new("https://accounts.google.com/o/oauth2/v2/auth");
    public static readonly Uri GoogleTokenEndpoint = new("https://oauth2.googleapis.com/token");

    /// <summary>How long a consent URL's state is accepted by the callback.</summary>
    public TimeSpan StateLifetime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>An access token with less than this left is refreshed before use (an upload chunk can take a while).</summary>
    public TimeSpan RefreshMargin { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET, and GOOGLE_OAUTH_BASE_URL: when set (tests point it at a fake),
    /// both endpoints live under it, at <c>/o/oauth2/v2/auth</c> and <c>/token</c>; else Google's own.
    /// </summary>
    /// <returns>Null when no client is configured: the channels then publish to the outbox.</returns>
    public static YouTubeOAuthOptions? From(IConfiguration configuration)
    {
        var id = configuration["YOUTUBE_CLIENT_ID"];
        var secret = configuration["YOUTUBE_CLIENT_SECRET"];
        if (string.IsNullOrWhiteSpace(id) && string.IsNullOrWhiteSpace(secret))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(secret))
        {
            throw new InvalidOperationException("YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET go together: set both, or neither (then channels publish to the outbox).");
        }

        if (configuration["GOOGLE_OAUTH_BASE_URL"] is not { Length: > 0 } baseUrl)
        {
            return new YouTubeOAuthOptions(id.Trim(), secret.Trim(), GoogleAuthorizationEndpoint, GoogleTokenEndpoint);
        }

        if (!Uri.TryCreate(baseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var root) || root.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"GOOGLE_OAUTH_BASE_URL must be an absolute http(s) URL; '{baseUrl}' is not.");
        }

        return new YouTubeOAuthOptions(id.Trim(), secret.Trim(), new Uri(root, "o/oauth2/v2/auth"), new Uri(root, "token"));
    }

    // A record prints every member; this one holds a secret.
    public override string ToString() =>
        $"YouTubeOAuthOptions {{ ClientId = {ClientId}, ClientSecret = ***, AuthorizationEndpoint = {AuthorizationEndpoint}, TokenEndpoint = {TokenEndpoint} }}";
}
