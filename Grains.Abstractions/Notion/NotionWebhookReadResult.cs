namespace Pipeline.Grains.Abstractions.Notion;

/// <summary>A webhook body read by <see cref="NotionWebhookBody"/>: exactly one of the three is set.</summary>
/// <param name="Event">An event.</param>
/// <param name="VerificationToken">The token of a subscription's first request (the handshake).</param>
/// <param name="Error">Why the body is neither (for a 400 answer and the log).</param>
public sealed record NotionWebhookReadResult(NotionWebhookEvent? Event, string? VerificationToken, string? Error)
{
    /// <summary>Whether this is the handshake: the body carries only a verification token to record.</summary>
    public bool IsHandshake => VerificationToken is not null;
}
