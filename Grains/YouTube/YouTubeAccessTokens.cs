using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Grains.YouTube;

/// <summary>
/// Access tokens per channel, in memory, refreshed when less than <see cref="YouTubeOAuthOptions.RefreshMargin"/>
/// is left, so a request never goes out with a token about to expire. One refresh at a time per channel.
/// </summary>
public sealed class YouTubeAccessTokens(YouTubeOAuthClient oauth, YouTubeOAuthOptions options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Entry> _tokens = new(StringComparer.Ordinal);

    /// <summary>A token for the channel: the cached one while it has enough time left, else a new one.</summary>
    /// <exception cref="YouTubeAuthorizationRevokedException">The refresh token was revoked.</exception>
    public async Task<string> GetAsync(YouTubeCredential credential, CancellationToken cancellationToken)
    {
        var entry = _tokens.GetOrAdd(credential.ChannelId, _ => new Entry());
        var owner = Fingerprint(credential.RefreshToken);
        if (Fresh(entry, owner) is { } cached)
        {
            return cached;
        }

        await entry.Refreshing.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have refreshed while this one waited.
            if (Fresh(entry, owner) is { } refreshed)
            {
                return refreshed;
            }

            var token = await oauth.RefreshAsync(credential, cancellationToken);
            entry.Current = new Cached(owner, token);
            return token.Value;
        }
        finally
        {
            entry.Refreshing.Release();
        }
    }

    /// <summary>Keeps the access token a consent just gave, so the first upload needs no refresh.</summary>
    public void Remember(YouTubeAuthorization authorization) =>
        _tokens.GetOrAdd(authorization.ChannelId, _ => new Entry()).Current = new Cached(Fingerprint(authorization.RefreshToken), authorization.AccessToken);

    /// <summary>Drops the channel's token (Google refused it, or the consent changed).</summary>
    public void Forget(string channelId)
    {
        if (_tokens.TryGetValue(channelId, out var entry))
        {
            entry.Current = null;
        }
    }

    private string? Fresh(Entry entry, byte[] owner) =>
        entry.Current is { } current && current.Owner.AsSpan().SequenceEqual(owner)
            && current.Token.ExpiresAt - clock.GetUtcNow() > options.RefreshMargin
            ? current.Token.Value
            : null;

    // A token is cached against the refresh token that got it: after a new consent the old one is not used.
    private static byte[] Fingerprint(string refreshToken) => SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken));

    private sealed class Entry
    {
        public SemaphoreSlim Refreshing { get; } = new(1, 1);

        // A reference swapped whole, so a reader never sees half of an update.
        public Cached? Current { get; set; }
    }

    private sealed record Cached(byte[] Owner, AccessToken Token);
}
