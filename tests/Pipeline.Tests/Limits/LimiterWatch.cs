using System.Collections.Concurrent;
using Pipeline.Grains.Abstractions.Limits;

namespace Pipeline.Tests.Limits;

/// <summary>Samples a limiter's state every 50 ms while a test runs: who held slots, on which silo, and when.</summary>
public sealed class LimiterWatch : IAsyncDisposable
{
    private readonly IProviderLimiterGrain _limiter;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<(DateTime At, LimiterState State)> _samples = new();
    private readonly Task _watching;

    public LimiterWatch(IProviderLimiterGrain limiter)
    {
        _limiter = limiter;
        _watching = WatchAsync();
    }

    public IReadOnlyList<(DateTime At, LimiterState State)> Samples => [.. _samples];

    /// <summary>Every lease seen, by lease id.</summary>
    public IReadOnlyDictionary<Guid, LeaseHolder> Leases =>
        _samples.SelectMany(s => s.State.Holders).GroupBy(h => h.LeaseId).ToDictionary(g => g.Key, g => g.First());

    /// <summary>The silos seen holding a slot.</summary>
    public IReadOnlySet<string> HolderSilos => Leases.Values.Select(h => h.Silo ?? "?").ToHashSet();

    /// <summary>The most slots seen in use at once.</summary>
    public int MostInUse => _samples.Select(s => s.State.InUse).DefaultIfEmpty().Max();

    private async Task WatchAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                _samples.Enqueue((DateTime.UtcNow, await _limiter.GetState()));
                await Task.Delay(50, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception)
            {
                // The limiter moving to another silo: sample again.
                await Task.Delay(200);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        _stop.Dispose();
    }
}
