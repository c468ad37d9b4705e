using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Grains.Abstractions.Notion;

/// <summary>
/// Notion's webhook signature: <c>X-Notion-Signature: sha256=&lt;hex&gt;</c>, an HMAC-SHA256 of the raw
/// request body keyed by the subscription's verification token. Checking it needs the body exactly as it
/// arrived: JSON read and written again has other bytes.
/// </summary>
public static class NotionWebhookSignature
{
    /// <summary>The request header that carries the signature.</summary>
    public const string HeaderName = "X-Notion-Signature";

    private const string Scheme = "sha256=";
    private const int HashLength = 32;

    /// <summary>The header value Notion sends for a body signed with a verification token.</summary>
    /// <param name="body">The raw request body.</param>
    /// <param name="verificationToken">The subscription's verification token.</param>
    /// <returns><c>sha256=</c> followed by 64 lowercase hex digits.</returns>
    public static string Compute(ReadOnlySpan<byte> body, string verificationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(verificationToken);
        Span<byte> hash = stackalloc byte[HashLength];
        Sign(body, verificationToken, hash);
        return Scheme + Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Whether <paramref name="headerValue"/> is the signature of <paramref name="body"/> under
    /// <paramref name="verificationToken"/>. The digests are compared in constant time. A missing, empty
    /// or malformed header (another scheme, wrong length, not hex) and a missing token all answer false;
    /// nothing here throws on what a caller sent.
    /// </summary>
    /// <param name="body">The raw request body.</param>
    /// <param name="headerValue">The <see cref="HeaderName"/> header as received, or null when absent.</param>
    /// <param name="verificationToken">The confirmed verification token, or null when none is confirmed yet.</param>
    /// <returns>True only for a correct signature.</returns>
    public static bool IsValid(ReadOnlySpan<byte> body, string? headerValue, string? verificationToken)
    {
        if (string.IsNullOrEmpty(verificationToken) || string.IsNullOrWhiteSpace(headerValue))
        {
            return false;
        }

        var value = headerValue.AsSpan().Trim();
        if (!value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var hex = value[Scheme.Length..];
        Span<byte> claimed = stackalloc byte[HashLength];
        if (hex.Length != HashLength * 2
            || Convert.FromHexString(hex, claimed, out _, out var written) != OperationStatus.Done
            || written != HashLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HashLength];
        Sign(body, verificationToken, expected);
        return CryptographicOperations.FixedTimeEquals(expected, claimed);
    }

    private static void Sign(ReadOnlySpan<byte> body, string verificationToken, Span<byte> hash) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(verificationToken), body, hash);
}
