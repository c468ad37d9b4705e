using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Grains.Publishing;

namespace Pipeline.Grains.YouTube;

/// <summary>Registers the YouTube building blocks (AddPipelineGrains calls it).</summary>
public static class YouTubeServices
{
    /// <summary>
    /// The token cipher always (its key is read on first use, with a message naming the setting when it is
    /// unusable); OAuth and the uploader only when YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET are set, as
    /// without them every channel publishes to the outbox.
    /// </summary>
    public static IServiceCollection AddYouTube(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => EncryptionKeys.FromConfiguration(configuration));
        services.AddSingleton<TokenCipher>();
        // Always: it is what tells a channel that consented from one that publishes to the outbox.
        services.AddSingleton<YouTubePublisher>();
        if (YouTubeOAuthOptions.From(configuration) is not { } oauth)
        {
            return services;
        }

        services.AddSingleton(oauth);
        services.AddSingleton(sp => new ConsentState(sp.GetRequiredService<EncryptionKeys>(), sp.GetRequiredService<TimeProvider>(), oauth.StateLifetime));
        services.AddSingleton<YouTubeOAuthClient>();
        services.AddSingleton<YouTubeAccessTokens>();
        services.AddSingleton(YouTubeUploaderOptions.From(configuration));
        services.AddSingleton<YouTubeUploader>();
        return services;
    }
}
