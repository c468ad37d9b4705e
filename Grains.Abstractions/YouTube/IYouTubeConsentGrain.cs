namespace Pipeline.Grains.Abstractions.YouTube;

/// <summary>
/// A channel's OAuth consent with Google (a stateless worker, key 0): the consent URL, and the callback's code
/// exchanged for a refresh token that is encrypted and stored with the channel. It runs in the silos, which hold
/// the OAuth client's secret and the encryption key; the gateway holds neither.
/// </summary>
public interface IYouTubeConsentGrain : IGrainWithIntegerKey
{
    /// <summary>The URL a person opens, signed in as the YouTube channel's owner, to let the pipeline upload to it.</summary>
    /// <param name="channelId">The channel (configured in channels.yaml).</param>
    /// <param name="redirectUri">The gateway's callback, exactly as registered with the OAuth client.</param>
    /// <returns>The URL, or why there is none (YOUTUBE_NOT_CONFIGURED).</returns>
    Task<YouTubeConsentResult> ConsentUrl(string channelId, string redirectUri);

    /// <summary>Completes a consent: checks the signed state, trades the code, stores the encrypted refresh token, lifts any hold.</summary>
    /// <param name="state">The state Google sent back.</param>
    /// <param name="code">The authorization code.</param>
    /// <param name="redirectUri">The same callback URI as in the consent URL.</param>
    /// <returns>The channel connected, or why not (CONSENT_INVALID, YOUTUBE_NOT_CONFIGURED).</returns>
    Task<YouTubeConsentResult> Complete(string state, string code, string redirectUri);
}

/// <summary>The answer of a consent step: a URL or a channel, or a stable error code and a message for people.</summary>
/// <param name="ChannelId">The channel.</param>
/// <param name="Url">The consent URL (for <see cref="IYouTubeConsentGrain.ConsentUrl"/>).</param>
/// <param name="ErrorCode">Null on success.</param>
/// <param name="Error">What went wrong.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.YouTubeConsentResult")]
public sealed record YouTubeConsentResult(
    [property: Id(0)] string? ChannelId,
    [property: Id(1)] string? Url = null,
    [property: Id(2)] string? ErrorCode = null,
    [property: Id(3)] string? Error = null)
{
    /// <summary>OAuth is not set up on the silos (YOUTUBE_CLIENT_ID, YOUTUBE_CLIENT_SECRET, PIPELINE_ENCRYPTION_KEY).</summary>
    public const string NotConfigured = "YOUTUBE_NOT_CONFIGURED";

    /// <summary>The callback was refused: a state we did not issue or that expired, or a code Google did not accept.</summary>
    public const string ConsentInvalid = "CONSENT_INVALID";

    /// <summary>A refusal.</summary>
    /// <param name="code">The stable code.</param>
    /// <param name="error">Why, for people.</param>
    /// <param name="channelId">The channel, when known.</param>
    /// <returns>The result.</returns>
    public static YouTubeConsentResult Failed(string code, string error, string? channelId = null) => new(channelId, null, code, error);
}
