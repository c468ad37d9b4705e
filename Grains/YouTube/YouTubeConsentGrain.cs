using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.YouTube;

namespace Pipeline.Grains.YouTube;

/// <summary>
/// Consent URLs and callbacks, on whichever silo is at hand. The refresh token is encrypted here, on the silo that
/// got it, so only its ciphertext travels to the channel grain and is stored.
/// </summary>
[StatelessWorker]
public sealed partial class YouTubeConsentGrain(ILogger<YouTubeConsentGrain> logger) : Grain, IYouTubeConsentGrain
{
    public Task<YouTubeConsentResult> ConsentUrl(string channelId, string redirectUri)
    {
        if (Services() is not { } services)
        {
            return Task.FromResult(NotConfigured(channelId));
        }

        return Task.FromResult(new YouTubeConsentResult(channelId, services.OAuth.ConsentUrl(channelId, redirectUri).ToString()));
    }

    public async Task<YouTubeConsentResult> Complete(string state, string code, string redirectUri)
    {
        if (Services() is not { } services)
        {
            return NotConfigured(null);
        }

        YouTubeAuthorization authorization;
        try
        {
            authorization = await services.OAuth.ExchangeCodeAsync(state, code, redirectUri, CancellationToken.None);
        }
        catch (YouTubeConsentException e)
        {
            LogRefused(e.Message);
            return YouTubeConsentResult.Failed(YouTubeConsentResult.ConsentInvalid, e.Message);
        }

        var channelId = authorization.ChannelId;
        await GrainFactory.GetGrain<IChannelGrain>(channelId).ConnectYouTube(services.Cipher.Encrypt(authorization.RefreshToken, channelId));
        // The first upload on this silo needs no refresh; other silos refresh once.
        services.Tokens.Remember(authorization);
        return new YouTubeConsentResult(channelId);
    }

    private (YouTubeOAuthClient OAuth, TokenCipher Cipher, YouTubeAccessTokens Tokens)? Services()
    {
        if (ServiceProvider.GetService<YouTubeOAuthClient>() is not { } oauth)
        {
            return null;
        }

        try
        {
            return (oauth, ServiceProvider.GetRequiredService<TokenCipher>(), ServiceProvider.GetRequiredService<YouTubeAccessTokens>());
        }
        catch (InvalidOperationException e)
        {
            // The encryption key is missing or unusable: no token may be stored in the clear.
            LogNoKey(e.Message);
            return null;
        }
    }

    private static YouTubeConsentResult NotConfigured(string? channelId) => YouTubeConsentResult.Failed(
        YouTubeConsentResult.NotConfigured,
        "YouTube is not set up on the silos: set YOUTUBE_CLIENT_ID, YOUTUBE_CLIENT_SECRET and PIPELINE_ENCRYPTION_KEY (until then channels publish to the outbox).",
        channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "YouTube consent callback refused: {Reason}")]
    private partial void LogRefused(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "YouTube consent unavailable: {Reason}")]
    private partial void LogNoKey(string reason);
}
