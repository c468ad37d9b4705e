using System.Collections.Concurrent;
using Pipeline.Grains.Notion;

namespace Pipeline.Tests.Notion;

/// <summary>
/// A request gate for tests: counts who passes, records the 429 waits reported, and when given a spacing lets
/// one request through per spacing (a crude stand-in for the cluster-wide limiter) and pauses after a 429.
/// </summary>
public sealed class RecordingNotionGate(TimeSpan spacing = default) : INotionRequestGate
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ConcurrentQueue<TimeSpan> _reports = new();
    private DateTimeOffset _next = DateTimeOffset.MinValue;
    private int _entered;
    private int _inside;

    public int Entered => _entered;

    public int Inside => Volatile.Read(ref _inside);

    public IReadOnlyList<TimeSpan> RetryAfterReports => [.. _reports];

    public async Task<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            var wait = _next - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            _next = DateTimeOffset.UtcNow + spacing;
        }
        finally
        {
            _turn.Release();
        }

        Interlocked.Increment(ref _entered);
        Interlocked.Increment(ref _inside);
        return new Exit(this);
    }

    public async Task ReportRetryAfterAsync(TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        _reports.Enqueue(retryAfter);
        await _turn.WaitAsync(cancellationToken);
        try
        {
            var until = DateTimeOffset.UtcNow + retryAfter;
            _next = until > _next ? until : _next;
        }
        finally
        {
            _turn.Release();
        }
    }

    private sealed class Exit(RecordingNotionGate gate) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            Interlocked.Decrement(ref gate._inside);
            return ValueTask.CompletedTask;
        }
    }
}
