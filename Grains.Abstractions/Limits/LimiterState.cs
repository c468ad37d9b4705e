namespace Pipeline.Grains.Abstractions.Limits;

/// <summary>A provider limiter now: its slots, who holds them, who waits, its request rate, its daily quota and any back-off.</summary>
/// <param name="Provider">The provider.</param>
/// <param name="Concurrency">Slots in all; null when the provider has no concurrency limit.</param>
/// <param name="InUse">Slots held.</param>
/// <param name="LeaseDuration">The lease duration in force.</param>
/// <param name="Holders">The leases held, oldest grant first.</param>
/// <param name="WaitingByChannel">Requests waiting, per channel.</param>
/// <param name="Granted">Grants since the limiter was activated (for tests and the Dashboard).</param>
/// <param name="RequestsPerSecond">The request rate allowed; null when unlimited.</param>
/// <param name="Tokens">Requests that may start right now under that rate; null when unlimited.</param>
/// <param name="Quota">The daily quota; null when the provider has none.</param>
/// <param name="BackOffUntil">Until when nothing is granted because the provider said "too many requests" (UTC); null when not backing off.</param>
/// <param name="BackOffReason">What the provider said.</param>
/// <param name="ChannelCaps">Per-channel caps on slots held at once.</param>
/// <param name="Holdup">Why the waiting requests wait, in words; null when nothing waits.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.LimiterState")]
public sealed record LimiterState(
    [property: Id(0)] string Provider,
    [property: Id(1)] int? Concurrency,
    [property: Id(2)] int InUse,
    [property: Id(3)] TimeSpan LeaseDuration,
    [property: Id(4)] IReadOnlyList<LeaseHolder> Holders,
    [property: Id(5)] IReadOnlyDictionary<string, int> WaitingByChannel,
    [property: Id(6)] long Granted,
    [property: Id(7)] double? RequestsPerSecond = null,
    [property: Id(8)] int? Tokens = null,
    [property: Id(9)] DailyQuotaState? Quota = null,
    [property: Id(10)] DateTime? BackOffUntil = null,
    [property: Id(11)] string? BackOffReason = null,
    [property: Id(12)] IReadOnlyDictionary<string, int>? ChannelCaps = null,
    [property: Id(13)] string? Holdup = null);

/// <summary>A held slot.</summary>
/// <param name="LeaseId">The lease.</param>
/// <param name="ChannelId">The holder's channel.</param>
/// <param name="TaskId">The holder's task.</param>
/// <param name="JobId">The holder's job.</param>
/// <param name="GrantedAt">When it was granted (UTC).</param>
/// <param name="ExpiresAt">When it goes back unless renewed (UTC).</param>
/// <param name="Silo">The holder's silo, if known.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.LeaseHolder")]
public sealed record LeaseHolder(
    [property: Id(0)] Guid LeaseId,
    [property: Id(1)] string ChannelId,
    [property: Id(2)] string TaskId,
    [property: Id(3)] string JobId,
    [property: Id(4)] DateTime GrantedAt,
    [property: Id(5)] DateTime ExpiresAt,
    [property: Id(6)] string? Silo = null);

/// <summary>A provider's daily quota today.</summary>
/// <param name="UnitsPerDay">Units a day; null when not limited.</param>
/// <param name="UnitsUsed">Units granted since the last reset.</param>
/// <param name="UploadsPerDay">Uploads a day; null when not limited.</param>
/// <param name="UploadsUsed">Uploads granted since the last reset.</param>
/// <param name="ResetsAt">The next reset (UTC).</param>
/// <param name="TimeZone">The time zone whose clock the reset follows.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.DailyQuotaState")]
public sealed record DailyQuotaState(
    [property: Id(0)] int? UnitsPerDay,
    [property: Id(1)] int UnitsUsed,
    [property: Id(2)] int? UploadsPerDay,
    [property: Id(3)] int UploadsUsed,
    [property: Id(4)] DateTime ResetsAt,
    [property: Id(5)] string TimeZone);
