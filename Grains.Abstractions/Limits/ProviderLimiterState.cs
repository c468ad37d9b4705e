namespace Pipeline.Grains.Abstractions.Limits;

/// <summary>
/// What a provider limiter persists: its settings and the leases held, so a limiter activated again
/// (on another silo, after a crash) counts the slots already out and never grants more than its limit.
/// The waiting line is not persisted: waiting callers call again and take their place back.
/// </summary>
[GenerateSerializer]
[Alias("Pipeline.ProviderLimiterState")]
public sealed record ProviderLimiterState
{
    // The settings are stored flat, with a concrete dictionary: the storage's JSON (which keeps references)
    // cannot read an IReadOnlyDictionary back.

    /// <summary>The slots, once configured (null: never configured).</summary>
    [Id(0)] public int? Concurrency { get; set; }

    /// <summary>The leases held.</summary>
    [Id(1)] public List<HeldLease> Leases { get; set; } = [];

    /// <summary>Each channel's weight.</summary>
    [Id(2)] public Dictionary<string, int> ChannelWeights { get; set; } = [];

    /// <summary>The lease duration.</summary>
    [Id(3)] public TimeSpan LeaseDuration { get; set; } = LimiterConfig.DefaultLeaseDuration;
}

/// <summary>A lease as the limiter keeps it.</summary>
/// <param name="LeaseId">The lease.</param>
/// <param name="RequestId">The request it answered (a repeated Acquire of that request gets the same lease).</param>
/// <param name="ChannelId">The holder's channel.</param>
/// <param name="TaskId">The holder's task.</param>
/// <param name="JobId">The holder's job.</param>
/// <param name="GrantedAt">When it was granted (UTC).</param>
/// <param name="ExpiresAt">When it goes back unless renewed (UTC).</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.HeldLease")]
public sealed record HeldLease(
    [property: Id(0)] Guid LeaseId,
    [property: Id(1)] Guid RequestId,
    [property: Id(2)] string ChannelId,
    [property: Id(3)] string TaskId,
    [property: Id(4)] string JobId,
    [property: Id(5)] DateTime GrantedAt,
    [property: Id(6)] DateTime ExpiresAt);
