using Orleans;

namespace Pipeline.ApiGateway.Hosting;

/// <summary>
/// The gateway starts before or alongside the silos; rather than dying when none is up
/// yet, it keeps trying to connect and says so in the log.
/// </summary>
public sealed class RetryUntilClusterIsUp(ILogger<RetryUntilClusterIsUp> logger) : IClientConnectionRetryFilter
{
    private int _attempt;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _attempt);
        logger.LogWarning("Cannot reach the Orleans cluster yet (attempt {Attempt}): {Reason}", attempt, exception.Message);
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
        return true;
    }
}
