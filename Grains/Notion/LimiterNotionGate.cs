using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Limits;
using Pipeline.Grains.Limits;

namespace Pipeline.Grains.Notion;

/// <summary>
/// Every Notion request takes a turn from the cluster-wide <c>notion</c> limiter (3 requests/s by default),
/// in the channel's turn; a 429 makes the whole cluster wait its Retry-After.
/// </summary>
/// <param name="grains">The grain factory.</param>
/// <param name="channelId">The channel the requests are for (its turn at the limiter).</param>
/// <param name="taskId">The task (page) they are for, shown as the holder.</param>
/// <param name="silo">This silo (its address, parsable form).</param>
/// <param name="clock">The clock.</param>
/// <param name="logger">Where lease problems are logged.</param>
public sealed class LimiterNotionGate(IGrainFactory grains, string channelId, string taskId, string? silo, TimeProvider clock, ILogger logger) : INotionRequestGate
{
    /// <summary>The limiter's key (channels.yaml <c>providers.notion</c>).</summary>
    public const string Provider = "notion";

    public async Task<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken) =>
        await ProviderLease.AcquireAsync(
            grains, Provider, new LeaseRequest(Guid.NewGuid(), channelId, taskId, "notion-request", 0, clock.GetUtcNow().UtcDateTime, Silo: silo),
            clock, logger, cancellationToken);

    public Task ReportRetryAfterAsync(TimeSpan retryAfter, CancellationToken cancellationToken) =>
        grains.GetGrain<IProviderLimiterGrain>(Provider).BackOff(retryAfter, "Notion answered 429 (rate_limited)");
}
