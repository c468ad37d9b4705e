using System.Security.Cryptography;
using System.Text;

namespace Pipeline.ApiGateway.Admin;

/// <summary>
/// The admin API's bearer token (PIPELINE_ADMIN_TOKEN). Only its SHA-256 hash is kept, and a presented
/// token is compared hash to hash in constant time, so neither its content nor its length leaks
/// through response timing.
/// </summary>
public sealed class AdminToken
{
    public const string SettingName = "PIPELINE_ADMIN_TOKEN";

    // Short tokens can be guessed; scripts/run.sh generates a long random one.
    public const int MinimumLength = 16;

    private readonly byte[] _hash;

    public AdminToken(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _hash = Hash(token);
    }

    /// <summary>Reads the token from configuration; refuses to go on without a usable one.</summary>
    public static AdminToken FromConfiguration(IConfiguration configuration)
    {
        // Surrounding whitespace is almost always a newline from a file or a copy and paste, never intended.
        var token = configuration[SettingName]?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            throw new InvalidOperationException(
                $"{SettingName} is not set: the admin API needs a bearer token. Set it to a long random " +
                "string (e.g. `openssl rand -hex 32`); scripts/run.sh generates one into the data directory.");
        }

        if (token.Length < MinimumLength || token.Any(char.IsWhiteSpace))
        {
            throw new InvalidOperationException(
                $"{SettingName} must be at least {MinimumLength} characters with no spaces " +
                $"(it has {token.Length}); use a long random string such as `openssl rand -hex 32`.");
        }

        return new AdminToken(token);
    }

    /// <summary>Whether <paramref name="presented"/> is the admin token, in time independent of both values.</summary>
    public bool Matches(string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Hash(presented), _hash);

    /// <summary>
    /// The token of an <c>Authorization: Bearer &lt;token&gt;</c> header (the scheme name is case-insensitive,
    /// RFC 7235); null when the header is missing, repeated, of another scheme or empty.
    /// </summary>
    public static string? FromAuthorizationHeader(IReadOnlyList<string?> values)
    {
        if (values.Count != 1 || values[0] is not { } header)
        {
            return null;
        }

        const string scheme = "Bearer ";
        var trimmed = header.Trim();
        if (!trimmed.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = trimmed[scheme.Length..].Trim();
        return token.Length > 0 ? token : null;
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
