namespace Pipeline.Grains.Abstractions.Channels;

/// <summary>What an upload needs to know about its channel's YouTube consent.</summary>
/// <param name="EncryptedToken">The refresh token as stored (TokenCipher's ciphertext); null when the channel never consented.</param>
/// <param name="HoldReason">Why uploads are on hold; null when they are not.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.YouTubeAccess")]
public sealed record YouTubeAccess(
    [property: Id(0)] string? EncryptedToken,
    [property: Id(1)] string? HoldReason)
{
    /// <summary>A channel with no consent publishes to the outbox.</summary>
    public bool Connected => EncryptedToken is not null;

    /// <summary>Without the ciphertext: it is no secret without the key, but it has no business in a log either.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"YouTubeAccess {{ Connected = {Connected}, HoldReason = {HoldReason} }}";
}
