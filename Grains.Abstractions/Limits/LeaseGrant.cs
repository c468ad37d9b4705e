namespace Pipeline.Grains.Abstractions.Limits;

/// <summary>A slot granted: renew it before <paramref name="ExpiresAt"/> (every third of <paramref name="LeaseDuration"/>), release it when done.</summary>
/// <param name="LeaseId">The lease.</param>
/// <param name="ExpiresAt">When the slot goes back unless renewed (UTC).</param>
/// <param name="LeaseDuration">How far each renewal extends it.</param>
/// <param name="GrantedAt">When the limiter granted it (UTC).</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.LeaseGrant")]
public sealed record LeaseGrant(
    [property: Id(0)] Guid LeaseId,
    [property: Id(1)] DateTime ExpiresAt,
    [property: Id(2)] TimeSpan LeaseDuration,
    [property: Id(3)] DateTime GrantedAt = default);
