namespace Pipeline.Grains.Notion;

/// <summary>A gate that lets every request through at once and ignores 429 reports: for tests and single tools.</summary>
public sealed class OpenNotionRequestGate : INotionRequestGate
{
    /// <summary>The one instance.</summary>
    public static readonly OpenNotionRequestGate Instance = new();

    private static readonly Task<IAsyncDisposable> Entered = Task.FromResult<IAsyncDisposable>(new Nothing());

    private OpenNotionRequestGate()
    {
    }

    /// <inheritdoc />
    public Task<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken) => Entered;

    /// <inheritdoc />
    public Task ReportRetryAfterAsync(TimeSpan retryAfter, CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed class Nothing : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
