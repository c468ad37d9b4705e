namespace Pipeline.Grains.Notion;

/// <summary>
/// What every Notion request passes through before it is sent, so all of the cluster's requests together
/// stay under Notion's limit (3 requests/s per integration) and back off together after a 429.
/// </summary>
public interface INotionRequestGate
{
    /// <summary>Waits until a request may be sent.</summary>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The permission; disposed once the answer has been read (a gate that counts requests per second may ignore that).</returns>
    Task<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Notion answered 429: no request should be sent for <paramref name="retryAfter"/>, from anywhere
    /// in the cluster. Called before the failed call retries or throws.
    /// </summary>
    /// <param name="retryAfter">The wait Notion asked for (1 s when it did not say).</param>
    /// <param name="cancellationToken">Stops the report.</param>
    /// <returns>When recorded.</returns>
    Task ReportRetryAfterAsync(TimeSpan retryAfter, CancellationToken cancellationToken);
}
