namespace Pipeline.Grains.Abstractions.Notion;

/// <summary>
/// The Notion webhook subscription (one grain, key <see cref="Key"/>): the verification token Notion sent
/// in its handshake, and the one the operator confirmed, which alone signs events.
/// </summary>
public interface INotionWebhookGrain : IGrainWithStringKey
{
    /// <summary>The one subscription's key.</summary>
    const string Key = "subscription";

    /// <summary>Records the token of a handshake (shown to the operator; it signs nothing until confirmed).</summary>
    /// <param name="verificationToken">The token.</param>
    /// <returns>When recorded.</returns>
    Task RecordHandshake(string verificationToken);

    /// <summary>The operator confirms the token received: from now on it is the signing key.</summary>
    /// <param name="verificationToken">The token, as the operator read it.</param>
    /// <returns>False when it is not the token received.</returns>
    Task<bool> Confirm(string verificationToken);

    /// <summary>The key events must be signed with (null: none confirmed), and what the operator sees.</summary>
    /// <returns>The state.</returns>
    Task<NotionWebhookStatus> GetStatus();
}

/// <summary>The webhook subscription now.</summary>
/// <param name="SigningKey">The confirmed verification token (null when none): for the gateway only, never shown.</param>
/// <param name="PendingToken">A token received in a handshake and not confirmed yet.</param>
/// <param name="PendingSince">When it came (UTC).</param>
/// <param name="ConfirmedAt">When the signing key was confirmed (UTC).</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.NotionWebhookStatus")]
public sealed record NotionWebhookStatus(
    [property: Id(0)] string? SigningKey,
    [property: Id(1)] string? PendingToken,
    [property: Id(2)] DateTime? PendingSince,
    [property: Id(3)] DateTime? ConfirmedAt);

/// <summary>What the webhook grain stores.</summary>
[GenerateSerializer]
[Alias("Pipeline.NotionWebhookState")]
public sealed record NotionWebhookState
{
    /// <summary>The confirmed token.</summary>
    [Id(0)] public string? SigningKey { get; set; }

    /// <summary>The last token received and not confirmed.</summary>
    [Id(1)] public string? PendingToken { get; set; }

    /// <summary>When it came.</summary>
    [Id(2)] public DateTime? PendingSince { get; set; }

    /// <summary>When the signing key was confirmed.</summary>
    [Id(3)] public DateTime? ConfirmedAt { get; set; }
}
