using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pipeline.Tests.Jobs;

/// <summary>
/// Keeps every log entry with the scope values in force when it was written, so tests can check
/// what the runner logs, at which level, and under which task, channel and job.
/// </summary>
public sealed class CapturingLogger<T>(LogLevel minimum = LogLevel.Trace) : ILogger<T>
{
    private readonly AsyncLocal<Scope?> _scope = new();

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public sealed record Entry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Values)
    {
        /// <summary>Everything that would reach a log sink: the message, its values and the scope's.</summary>
        public string Everything => Message + " " + string.Join(" ", Values.Select(v => $"{v.Key}={v.Value}"));
    }

    public IDisposable BeginScope<TState>(TState state) where TState : notnull
    {
        var scope = new Scope(state, _scope.Value, this);
        _scope.Value = scope;
        return scope;
    }

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var values = new Dictionary<string, object?>();
        for (var scope = _scope.Value; scope is not null; scope = scope.Parent)
        {
            AddPairs(scope.State, values);
        }

        AddPairs(state, values);
        Entries.Enqueue(new Entry(logLevel, formatter(state, exception), values));
    }

    private static void AddPairs(object? state, Dictionary<string, object?> values)
    {
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                values.TryAdd(key, value);
            }
        }
        else if (state is IEnumerable<KeyValuePair<string, object>> plain)
        {
            foreach (var (key, value) in plain)
            {
                values.TryAdd(key, value);
            }
        }
    }

    private sealed class Scope(object state, Scope? parent, CapturingLogger<T> owner) : IDisposable
    {
        public object State { get; } = state;

        public Scope? Parent { get; } = parent;

        public void Dispose() => owner._scope.Value = Parent;
    }
}
