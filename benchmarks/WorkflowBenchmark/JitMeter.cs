namespace Pipeline.Benchmarks.Workflow;

/// <summary>
/// The CPU the silo's tiered compilation has used since the meter started: how far from warmed up the silo is.
/// The runtime ends that thread when it has been idle a while and starts a new one when there is work again,
/// so its time is added up from a look every 100 ms rather than from two samples; the last 100 ms of a thread
/// that ends are missed, so the figure is a floor.
/// </summary>
public sealed class JitMeter : IAsyncDisposable
{
    private readonly Dictionary<string, long> _last;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _looking;
    private long _ticks;

    private JitMeter(Dictionary<string, long> first)
    {
        _last = first;
        _looking = LookAsync();
    }

    /// <summary>A running meter; null where /proc cannot say (not Linux, no silo pid).</summary>
    public static JitMeter? Start() => ProcessCpu.SiloJitThreads() is { } first ? new JitMeter(first) : null;

    /// <summary>Used since the start.</summary>
    public TimeSpan Total
    {
        get
        {
            Look();
            lock (_last)
            {
                return ProcessCpu.FromTicks(_ticks);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _looking;
        _stop.Dispose();
    }

    private async Task LookAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Look();
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    private void Look()
    {
        if (ProcessCpu.SiloJitThreads() is not { } now)
        {
            return;
        }

        lock (_last)
        {
            foreach (var (thread, ticks) in now)
            {
                // A thread first seen now started after the last look: all of its time is new.
                _ticks += ticks - _last.GetValueOrDefault(thread);
                _last[thread] = ticks;
            }
        }
    }
}
