using System.Collections.Concurrent;

namespace Pipeline.Grains.Steps;

/// <summary>
/// How many jobs of each provider this silo runs at once: the simple per-provider cap that holds
/// until the cluster-wide limiter grains take over. A changed limit gets a gate of its own; jobs
/// already inside the old one finish there.
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

    /// <summary>How many jobs are inside each gate now (for logs and tests).</summary>
    /// <returns>Jobs running per provider.</returns>
    public IReadOnlyDictionary<string, int> InUse() =>
        _gates.GroupBy(g => g.Key.Provider)
            .ToDictionary(g => g.Key, g => g.Sum(e => e.Key.Limit - e.Value.CurrentCount));

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
