namespace Pipeline.Grains.Abstractions.Channels;

/// <summary>A provider's limits from channels.yaml (<c>providers:</c>); unset values have no limit.</summary>
/// <param name="Provider">The limiter key, e.g. <c>kling</c>, <c>notion</c>, <c>youtube:my-project</c>.</param>
/// <param name="Concurrency">Jobs running at once, cluster-wide.</param>
/// <param name="RequestsPerSecond">Requests per second, cluster-wide.</param>
/// <param name="UnitsPerDay">Quota units per day.</param>
/// <param name="UploadsPerDay">Uploads per day (YouTube).</param>
/// <param name="TimeoutSeconds">How long one job may run.</param>
/// <param name="ResetTimeZone">The IANA time zone of the daily quota's reset (UTC when unset).</param>
/// <param name="ResetTime">The time of day, in <paramref name="ResetTimeZone"/>, when the daily quota resets (midnight when unset).</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.ProviderLimit")]
public sealed record ProviderLimit(
    [property: Id(0)] string Provider,
    [property: Id(1)] int? Concurrency = null,
    [property: Id(2)] double? RequestsPerSecond = null,
    [property: Id(3)] int? UnitsPerDay = null,
    [property: Id(4)] int? UploadsPerDay = null,
    [property: Id(5)] int? TimeoutSeconds = null,
    [property: Id(6)] string? ResetTimeZone = null,
    [property: Id(7)] TimeOnly? ResetTime = null);
