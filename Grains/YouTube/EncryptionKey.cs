using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Grains.YouTube;

/// <summary>
/// A 256-bit key for secrets at rest, with a short id derived from it, so a ciphertext names the key
/// that made it without an operator having to number keys.
/// </summary>
public sealed class EncryptionKey
{
    public const int Size = 32;
    public const int IdSize = 4;

    private static readonly byte[] IdLabel = Encoding.ASCII.GetBytes("pipeline key id v1");

    private EncryptionKey(byte[] material)
    {
        Material = material;
        // An HMAC of a fixed label, not a hash of the key itself: the id reveals nothing usable about it.
        Id = HMACSHA256.HashData(material, IdLabel)[..IdSize];
    }

    /// <summary>The raw key; kept inside the assembly so it is never printed or serialized by accident.</summary>
    internal byte[] Material { get; }

    /// <summary>The key's id, as written at the start of every ciphertext it makes.</summary>
    public byte[] Id { get; }

    /// <summary>The id as hex, for messages (never the key).</summary>
    public string IdText => Convert.ToHexStringLower(Id);

    /// <summary>Reads a key from the base64 text of an environment variable.</summary>
    /// <param name="setting">The variable's name, for the error message.</param>
    /// <param name="base64">Its value.</param>
    /// <exception cref="InvalidOperationException">When it is missing, not base64, or not 32 bytes.</exception>
    public static EncryptionKey Parse(string setting, string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            throw new InvalidOperationException(
                $"{setting} is not set: it must hold a base64 key of {Size} bytes (e.g. the output of `openssl rand -base64 32`).");
        }

        byte[] material;
        try
        {
            material = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{setting} is not valid base64: it must hold a base64 key of {Size} bytes.");
        }

        return material.Length == Size
            ? new EncryptionKey(material)
            : throw new InvalidOperationException($"{setting} must be {Size} bytes once base64-decoded; it is {material.Length}.");
    }

    /// <summary>A key from raw bytes (tests, key generation).</summary>
    public static EncryptionKey FromBytes(ReadOnlySpan<byte> material) =>
        material.Length == Size
            ? new EncryptionKey(material.ToArray())
            : throw new ArgumentException($"An encryption key must be {Size} bytes; this one is {material.Length}.", nameof(material));

    /// <summary>A new random key.</summary>
    public static EncryptionKey Generate() => new(RandomNumberGenerator.GetBytes(Size));

    /// <summary>The key as base64, for an operator generating one.</summary>
    public string ToBase64() => Convert.ToBase64String(Material);

    /// <summary>A key derived from this one for another purpose (HKDF), so one secret never serves two algorithms.</summary>
    internal byte[] Derive(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Material, Size, info: Encoding.UTF8.GetBytes(purpose));

    public override string ToString() => $"encryption key {IdText}";
}
