using Pipeline.Grains.Abstractions.Channels;

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
    /// <summary>The slots, as first stored (before <see cref="Limit"/> existed); read only when <see cref="Limit"/> is null.</summary>
    [Id(0)] public int? Concurrency { get; set; }

    /// <summary>The leases held.</summary>
    [Id(1)] public List<HeldLease> Leases { get; set; } = [];

    /// <summary>Each channel's weight.</summary>
    [Id(2)] public Dictionary<string, int> ChannelWeights { get; set; } = [];

    /// <summary>The lease duration.</summary>
    [Id(3)] public TimeSpan LeaseDuration { get; set; } = LimiterConfig.DefaultLeaseDuration;

    /// <summary>The limits, once configured (null: never configured).</summary>
    [Id(4)] public ProviderLimit? Limit { get; set; }

    /// <summary>Each channel's cap on slots held at once.</summary>
    [Id(5)] public Dictionary<string, int> ChannelCaps { get; set; } = [];

    /// <summary>The quota day the counters below belong to (the date, in the reset's time zone, of its last reset).</summary>
    [Id(6)] public DateOnly? QuotaDay { get; set; }

    /// <summary>Quota units granted on <see cref="QuotaDay"/>.</summary>
    [Id(7)] public int UnitsUsed { get; set; }

    /// <summary>Uploads granted on <see cref="QuotaDay"/>.</summary>
    [Id(8)] public int UploadsUsed { get; set; }

    /// <summary>Until when the provider asked us to wait (UTC).</summary>
    [Id(9)] public DateTime? BackOffUntil { get; set; }

    /// <summary>What the provider said when it asked.</summary>
    [Id(10)] public string? BackOffReason { get; set; }
}

/// <summary>A lease as the limiter keeps it.</summary>
/// <param name="LeaseId">The lease.</param>
/// <param name="RequestId">The request it answered (a repeated Acquire of that request gets the same lease).</param>
/// <param name="ChannelId">The holder's channel.</param>
/// <param name="TaskId">The holder's task.</param>
/// <param name="JobId">The holder's job.</param>
/// <param name="GrantedAt">When it was granted (UTC).</param>
/// <param name="ExpiresAt">When it goes back unless renewed (UTC).</param>
/// <param name="Silo">The holder's silo, if known.</param>
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
    [property: Id(6)] DateTime ExpiresAt,
    [property: Id(7)] string? Silo = null);
