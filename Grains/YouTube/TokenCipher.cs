using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Pipeline.Grains.YouTube;

/// <summary>
/// Encrypts a channel's OAuth refresh token for storage (AES-256-GCM). The ciphertext names its key, so
/// after a key rotation the previous key still decrypts what it made while everything new uses the
/// current one; and it is bound to its channel, so a token copied onto another channel does not decrypt.
/// </summary>
/// <remarks>
/// Layout, base64 as a whole: version (1 byte) · key id (4) · nonce (12) · tag (16) · ciphertext.
/// The associated data covers the version, the key id, a purpose label and the channel id.
/// </remarks>
public sealed class TokenCipher
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + EncryptionKey.IdSize;
    private const int Overhead = HeaderSize + NonceSize + TagSize;
    private const string Purpose = "pipeline youtube refresh token v1";
    private const string AesPurpose = "pipeline secrets aes-256-gcm v1";

    private readonly EncryptionKeys _keys;
    private readonly byte[] _currentAes;
    private readonly byte[]? _previousAes;

    public TokenCipher(EncryptionKeys keys)
    {
        _keys = keys;
        _currentAes = keys.Current.Derive(AesPurpose);
        _previousAes = keys.Previous?.Derive(AesPurpose);
    }

    /// <summary>Reads PIPELINE_ENCRYPTION_KEY (required) and PIPELINE_ENCRYPTION_KEY_PREVIOUS (during a rotation).</summary>
    /// <exception cref="InvalidOperationException">A key is missing, not base64, or not 32 bytes.</exception>
    public static TokenCipher FromConfiguration(IConfiguration configuration) => new(EncryptionKeys.FromConfiguration(configuration));

    /// <summary>Encrypts <paramref name="token"/> for <paramref name="channelId"/> with the current key and a fresh nonce.</summary>
    public string Encrypt(string token, string channelId)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        var plaintext = Encoding.UTF8.GetBytes(token);
        var sealedBytes = new byte[Overhead + plaintext.Length];
        var output = sealedBytes.AsSpan();
        output[0] = Version;
        _keys.Current.Id.CopyTo(output[1..HeaderSize]);
        var nonce = output.Slice(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_currentAes, TagSize);
        aes.Encrypt(nonce, plaintext, output[Overhead..], output.Slice(HeaderSize + NonceSize, TagSize),
            AssociatedData(output[..HeaderSize], channelId));
        CryptographicOperations.ZeroMemory(plaintext);
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>Decrypts what <see cref="Encrypt"/> made for the same channel, with the current or the previous key.</summary>
    /// <exception cref="TokenCipherException">Not ours, an unknown key, altered, or another channel's.</exception>
    public string Decrypt(string ciphertext, string channelId)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelId);
        var input = Read(ciphertext);
        var key = KeyFor(input);
        var plaintext = new byte[input.Length - Overhead];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(input.AsSpan(HeaderSize, NonceSize), input.AsSpan(Overhead), input.AsSpan(HeaderSize + NonceSize, TagSize),
                plaintext, AssociatedData(input.AsSpan(0, HeaderSize), channelId));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new TokenCipherException(
                $"The stored token of channel '{channelId}' does not decrypt: it was altered, or it was encrypted for another channel.");
        }

        return Encoding.UTF8.GetString(plaintext);
    }

    /// <summary>True when the ciphertext was made with the previous key (a rotation is under way) and should be re-encrypted.</summary>
    /// <exception cref="TokenCipherException">Not ours, or made with a key we do not have.</exception>
    public bool NeedsReEncryption(string ciphertext)
    {
        var input = Read(ciphertext);
        return !ReferenceEquals(KeyFor(input), _currentAes);
    }

    /// <summary>The same token encrypted with the current key (a fresh nonce even when it already was).</summary>
    public string ReEncrypt(string ciphertext, string channelId) => Encrypt(Decrypt(ciphertext, channelId), channelId);

    private static byte[] Read(string ciphertext)
    {
        byte[] input;
        try
        {
            input = Convert.FromBase64String(ciphertext);
        }
        catch (FormatException)
        {
            throw new TokenCipherException("The stored token is not base64: it was not made by this pipeline's token cipher.");
        }

        if (input.Length <= Overhead || input[0] != Version)
        {
            throw new TokenCipherException("The stored token is not a version-1 ciphertext of this pipeline's token cipher.");
        }

        return input;
    }

    private byte[] KeyFor(byte[] input)
    {
        var id = input.AsSpan(1, EncryptionKey.IdSize);
        var key = _keys.Find(id);
        if (key is not null)
        {
            return key == _keys.Current ? _currentAes : _previousAes!;
        }

        throw new TokenCipherException(
            $"The stored token was encrypted with key {Convert.ToHexStringLower(id)}, which is neither {EncryptionKeys.KeySetting} ({_keys.Current.IdText}) " +
            $"nor {EncryptionKeys.PreviousKeySetting} ({_keys.Previous?.IdText ?? "not set"}).");
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, string channelId)
    {
        // Length-prefixed, so no choice of channel id can be made to collide with another purpose's data.
        var purpose = Encoding.UTF8.GetBytes(Purpose);
        var channel = Encoding.UTF8.GetBytes(channelId);
        var data = new byte[header.Length + 4 + purpose.Length + 4 + channel.Length];
        var span = data.AsSpan();
        header.CopyTo(span);
        span = span[header.Length..];
        BinaryPrimitives.WriteInt32BigEndian(span, purpose.Length);
        purpose.CopyTo(span[4..]);
        span = span[(4 + purpose.Length)..];
        BinaryPrimitives.WriteInt32BigEndian(span, channel.Length);
        channel.CopyTo(span[4..]);
        return data;
    }
}
