using Microsoft.Extensions.Configuration;

namespace Pipeline.Grains.YouTube;

/// <summary>
/// The key for secrets at rest, and during a rotation the one before it (which only ever decrypts or
/// verifies what it made).
/// </summary>
public sealed record EncryptionKeys
{
    public const string KeySetting = "PIPELINE_ENCRYPTION_KEY";
    public const string PreviousKeySetting = "PIPELINE_ENCRYPTION_KEY_PREVIOUS";

    public EncryptionKeys(EncryptionKey current, EncryptionKey? previous = null)
    {
        if (previous is not null && previous.Id.AsSpan().SequenceEqual(current.Id))
        {
            throw new InvalidOperationException($"{PreviousKeySetting} is the same key as {KeySetting}; unset it, or set it to the old key.");
        }

        Current = current;
        Previous = previous;
    }

    public EncryptionKey Current { get; }

    public EncryptionKey? Previous { get; }

    /// <summary>Reads PIPELINE_ENCRYPTION_KEY (required) and PIPELINE_ENCRYPTION_KEY_PREVIOUS (only during a rotation).</summary>
    /// <exception cref="InvalidOperationException">A key is missing, not base64, or not 32 bytes, naming the setting.</exception>
    public static EncryptionKeys FromConfiguration(IConfiguration configuration) => new(
        EncryptionKey.Parse(KeySetting, configuration[KeySetting]),
        configuration[PreviousKeySetting] is { Length: > 0 } previous ? EncryptionKey.Parse(PreviousKeySetting, previous) : null);

    /// <summary>The key with this id, or null.</summary>
    public EncryptionKey? Find(ReadOnlySpan<byte> id) =>
        id.SequenceEqual(Current.Id) ? Current
        : Previous is not null && id.SequenceEqual(Previous.Id) ? Previous
        : null;
}
