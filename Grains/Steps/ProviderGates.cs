using System.Collections.Concurrent;

namespace Pipeline.Grains.Steps;

/// <summary>
/// How many jobs of one kind this silo runs at once (local media work: the machine's cores; provider
/// calls go through the cluster-wide limiter grains instead). A changed limit gets a gate of its
/// own; jobs already inside the old one finish there.
/// </summary>
public sealed class ProviderGates
{
    private readonly ConcurrentDictionary<(string Provider, int Limit), SemaphoreSlim> _gates = new();

    /// <summary>Waits for a place under the provider's limit.</summary>
    /// <param name="provider">The provider.</param>
    /// <param name="limit">Its concurrency limit (at least 1).</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The place; dispose it when the job is over.</returns>
    public async Task<IDisposable> EnterAsync(string provider, int limit, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd((provider, Math.Max(1, limit)), key => new SemaphoreSlim(key.Limit, key.Limit));
        await gate.WaitAsync(cancellationToken);
        return new Place(gate);
    }

    private sealed class Place(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
