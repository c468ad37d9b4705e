using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Grains.YouTube;

/// <summary>
/// The OAuth <c>state</c> parameter of a channel's consent: which channel it is for, until when, and a
/// random nonce, signed with a key derived from the encryption key. A callback is accepted only with a
/// state made here and not expired, so nobody can attach their own Google account to one of our channels
/// by forging a callback.
/// </summary>
public sealed class ConsentState(EncryptionKeys keys, TimeProvider clock, TimeSpan lifetime)
{
    private const string Purpose = "pipeline oauth consent state v1";
    private const int MacSize = 32;

    /// <summary>A signed state for <paramref name="channelId"/>, valid for the lifetime given at construction.</summary>
    public string Issue(string channelId)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        var expires = clock.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        // The channel id goes last: it may hold any character, the other fields hold no dot.
        var payload = Encoding.UTF8.GetBytes($"{expires.ToString(CultureInfo.InvariantCulture)}.{nonce}.{channelId}");
        return $"{Base64Url.EncodeToString(payload)}.{Base64Url.EncodeToString(Mac(keys.Current, payload))}";
    }

    /// <summary>The channel a state was issued for.</summary>
    /// <exception cref="YouTubeConsentException">Missing, malformed, not signed by us (or by the previous key), or expired.</exception>
    public string Verify(string? state)
    {
        var parts = (state ?? "").Split('.');
        if (parts.Length != 2 || !TryDecode(parts[0], out var payload) || !TryDecode(parts[1], out var mac) || mac.Length != MacSize)
        {
            throw new YouTubeConsentException("The consent callback's state is missing or malformed: start the consent again.");
        }

        var signedByUs = CryptographicOperations.FixedTimeEquals(mac, Mac(keys.Current, payload))
            || (keys.Previous is not null && CryptographicOperations.FixedTimeEquals(mac, Mac(keys.Previous, payload)));
        if (!signedByUs)
        {
            throw new YouTubeConsentException("The consent callback's state was not issued by this pipeline: the callback is refused.");
        }

        var fields = Encoding.UTF8.GetString(payload).Split('.', 3);
        if (fields.Length != 3 || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || fields[2].Length == 0)
        {
            throw new YouTubeConsentException("The consent callback's state is malformed: start the consent again.");
        }

        var expiry = DateTimeOffset.FromUnixTimeSeconds(expires);
        if (clock.GetUtcNow() >= expiry)
        {
            throw new YouTubeConsentException(
                $"The consent for channel '{fields[2]}' expired at {expiry:u}: ask for a new consent URL and start again.");
        }

        return fields[2];
    }

    private static byte[] Mac(EncryptionKey key, byte[] payload) => HMACSHA256.HashData(key.Derive(Purpose), payload);

    private static bool TryDecode(string text, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return bytes.Length > 0;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
