using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Limits;

namespace Pipeline.Grains.Limits;

/// <summary>
/// A slot of a provider's cluster-wide limit, held by one job: taken from the provider's limiter
/// (waiting in line as long as it takes), renewed in the background every third of the lease time,
/// and given back when disposed — whether the job finished, failed or was cancelled.
/// </summary>
public sealed partial class ProviderLease : IAsyncDisposable
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private readonly IProviderLimiterGrain _limiter;
    private readonly string _provider;
    private readonly LeaseGrant _grant;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;
    private int _disposed;

    private ProviderLease(IProviderLimiterGrain limiter, string provider, LeaseGrant grant, TimeProvider clock, ILogger logger)
    {
        _limiter = limiter;
        _provider = provider;
        _grant = grant;
        _clock = clock;
        _logger = logger;
        _renewing = RenewAsync();
    }

    /// <summary>Waits for a slot of <paramref name="provider"/>.</summary>
    /// <param name="grains">The grain factory.</param>
    /// <param name="provider">The provider (the limiter's key).</param>
    /// <param name="channelId">The job's channel (whose turn it takes).</param>
    /// <param name="taskId">The job's task.</param>
    /// <param name="jobId">The job.</param>
    /// <param name="priority">Higher first within the channel.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="logger">Where renewal problems are logged.</param>
    /// <param name="cancellationToken">Stops the wait (a slot granted meanwhile is given back).</param>
    /// <returns>The held slot; dispose it when the job is over.</returns>
    public static async Task<ProviderLease> AcquireAsync(
        IGrainFactory grains, string provider, string channelId, string taskId, string jobId, int priority,
        TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        var limiter = grains.GetGrain<IProviderLimiterGrain>(provider);
        var request = new LeaseRequest(Guid.NewGuid(), channelId, taskId, jobId, priority, clock.GetUtcNow().UtcDateTime);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var call = limiter.Acquire(request);
            LeaseGrant? grant;
            try
            {
                grant = await call.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _ = ReleaseIfGrantedAsync(limiter, call, logger);
                throw;
            }
            catch (Exception e)
            {
                // A silo going away or the limiter moving: the request keeps its place for a while; ask again.
                LogAcquireFailed(logger, provider, jobId, e.Message);
                await Task.Delay(RetryAfterFailure, clock, cancellationToken);
                continue;
            }

            if (grant is not null)
            {
                return new ProviderLease(limiter, provider, grant, clock, logger);
            }
        }
    }

    /// <summary>Stops renewing and gives the slot back.</summary>
    /// <returns>When done; never throws (a slot not given back comes back when its lease runs out).</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await _renewing;
        _stop.Dispose();
        try
        {
            await _limiter.Release(_grant.LeaseId);
        }
        catch (Exception e)
        {
            LogReleaseFailed(_logger, _provider, _grant.LeaseId, e.Message);
        }
    }

    private async Task RenewAsync()
    {
        var period = _grant.LeaseDuration / 3;
        var wait = period;
        while (true)
        {
            try
            {
                await Task.Delay(wait, _clock, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (!await _limiter.Renew(_grant.LeaseId))
                {
                    // The job goes on; for a while the provider may see one job more than its limit.
                    LogLeaseLost(_logger, _provider, _grant.LeaseId);
                    return;
                }

                wait = period;
            }
            catch (Exception e)
            {
                LogRenewFailed(_logger, _provider, _grant.LeaseId, e.Message);
                wait = period < RetryAfterFailure ? period : RetryAfterFailure;
            }
        }
    }

    private static async Task ReleaseIfGrantedAsync(IProviderLimiterGrain limiter, Task<LeaseGrant?> call, ILogger logger)
    {
        try
        {
            if (await call is { } grant)
            {
                await limiter.Release(grant.LeaseId);
            }
        }
        catch (Exception e)
        {
            LogReleaseFailed(logger, "?", Guid.Empty, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for a {Provider} slot for job {JobId} failed, asking again: {Reason}")]
    private static partial void LogAcquireFailed(ILogger logger, string provider, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing {Provider} lease {LeaseId} failed: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, string provider, Guid leaseId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} lease {LeaseId} had run out when renewed; the job goes on without it")]
    private static partial void LogLeaseLost(ILogger logger, string provider, Guid leaseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Giving back {Provider} lease {LeaseId} failed (it comes back when it runs out): {Reason}")]
    private static partial void LogReleaseFailed(ILogger logger, string provider, Guid leaseId, string reason);
}
