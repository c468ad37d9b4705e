namespace Pipeline.Grains.Abstractions.Limits;

/// <summary>A provider limiter now: its slots, who holds them, and who waits.</summary>
/// <param name="Provider">The provider.</param>
/// <param name="Concurrency">Slots in all.</param>
/// <param name="InUse">Slots held.</param>
/// <param name="LeaseDuration">The lease duration in force.</param>
/// <param name="Holders">The leases held, oldest grant first.</param>
/// <param name="WaitingByChannel">Requests waiting, per channel.</param>
/// <param name="Granted">Grants since the limiter was activated (for tests and the Dashboard).</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.LimiterState")]
public sealed record LimiterState(
    [property: Id(0)] string Provider,
    [property: Id(1)] int Concurrency,
    [property: Id(2)] int InUse,
    [property: Id(3)] TimeSpan LeaseDuration,
    [property: Id(4)] IReadOnlyList<LeaseHolder> Holders,
    [property: Id(5)] IReadOnlyDictionary<string, int> WaitingByChannel,
    [property: Id(6)] long Granted);

/// <summary>A held slot.</summary>
/// <param name="LeaseId">The lease.</param>
/// <param name="ChannelId">The holder's channel.</param>
/// <param name="TaskId">The holder's task.</param>
/// <param name="JobId">The holder's job.</param>
/// <param name="GrantedAt">When it was granted (UTC).</param>
/// <param name="ExpiresAt">When it goes back unless renewed (UTC).</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.LeaseHolder")]
public sealed record LeaseHolder(
    [property: Id(0)] Guid LeaseId,
    [property: Id(1)] string ChannelId,
    [property: Id(2)] string TaskId,
    [property: Id(3)] string JobId,
    [property: Id(4)] DateTime GrantedAt,
    [property: Id(5)] DateTime ExpiresAt);
