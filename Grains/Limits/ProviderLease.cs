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
    /// <param name="request">Who asks (channel, task, job, priority, since when, quota spent); a new request id per wait.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="logger">Where renewal problems are logged.</param>
    /// <param name="cancellationToken">Stops the wait (the request leaves the line; a slot granted meanwhile is given back).</param>
    /// <returns>The held slot; dispose it when the job is over.</returns>
    /// <exception cref="ArgumentException">The request needs more quota than the provider has in a day.</exception>
    public static async Task<ProviderLease> AcquireAsync(
        IGrainFactory grains, string provider, LeaseRequest request, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        var limiter = grains.GetGrain<IProviderLimiterGrain>(provider);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LeaseGrant? grant;
            try
            {
                grant = await limiter.Acquire(request).WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _ = WithdrawAsync(limiter, provider, request, logger);
                throw;
            }
            catch (ArgumentException)
            {
                throw;
            }
            catch (Exception e)
            {
                // A silo going away or the limiter moving: the request keeps its place for a while; ask again.
                LogAcquireFailed(logger, provider, request.JobId, e.Message);
                await Task.Delay(RetryAfterFailure, clock, cancellationToken);
                continue;
            }

            if (grant is not null)
            {
                return new ProviderLease(limiter, provider, grant, clock, logger);
            }
        }
    }

    /// <summary>
    /// The provider answered "too many requests, retry after <paramref name="delay"/>": the whole cluster
    /// waits that long before its next grant. Call it before disposing, so the slot is not handed on first.
    /// </summary>
    /// <param name="delay">The provider's Retry-After.</param>
    /// <param name="reason">What the provider said.</param>
    /// <returns>When the limiter has it; never throws (the job's own retry still waits).</returns>
    public async Task BackOffAsync(TimeSpan delay, string reason)
    {
        try
        {
            await _limiter.BackOff(delay, reason);
        }
        catch (Exception e)
        {
            LogBackOffFailed(_logger, _provider, e.Message);
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

        // The first renewal at once: it confirms the grant arrived (an unconfirmed grant comes back within seconds).
        var wait = TimeSpan.Zero;
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

    private static async Task WithdrawAsync(IProviderLimiterGrain limiter, string provider, LeaseRequest request, ILogger logger)
    {
        try
        {
            await limiter.Withdraw(request.RequestId);
        }
        catch (Exception e)
        {
            // The request leaves the line by itself when nobody polls for it; a slot granted to it comes back when its lease runs out.
            LogWithdrawFailed(logger, provider, request.JobId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for a {Provider} slot for job {JobId} failed, asking again: {Reason}")]
    private static partial void LogAcquireFailed(ILogger logger, string provider, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing {Provider} lease {LeaseId} failed: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, string provider, Guid leaseId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} lease {LeaseId} had run out when renewed; the job goes on without it")]
    private static partial void LogLeaseLost(ILogger logger, string provider, Guid leaseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leaving the {Provider} line for cancelled job {JobId} failed: {Reason}")]
    private static partial void LogWithdrawFailed(ILogger logger, string provider, string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling the {Provider} limiter to back off failed: {Reason}")]
    private static partial void LogBackOffFailed(ILogger logger, string provider, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Giving back {Provider} lease {LeaseId} failed (it comes back when it runs out): {Reason}")]
    private static partial void LogReleaseFailed(ILogger logger, string provider, Guid leaseId, string reason);
}
