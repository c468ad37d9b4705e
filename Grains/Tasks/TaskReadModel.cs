using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Tasks;

/// <summary>
/// Writes tasks' rows of the read model (<c>task_transitions</c> and <c>tasks</c>), many tasks in one statement:
/// a group commit. A task's write waits for the statement it is in; while one is at the database the next one
/// fills, so the busier the silo, the fewer round trips per write. Every write is idempotent: history rows are
/// keyed by (task, seq) and the current row only moves forward in seq, so replaying a grain's outbox after a
/// crash is always safe. A row the database refuses fails only its own task's write.
/// </summary>
public sealed partial class TaskReadModel : IAsyncDisposable
{
    /// <summary>More than this in one statement costs more in planning and locks than it saves.</summary>
    public const int MaxBatch = 500;

    /// <summary>Two statements in flight: one at the database while the silo gathers the next.</summary>
    private const int Writers = 2;

    // The WHERE clause of the upsert makes a repeated or late write a no-op, and lets a repair rewrite a row
    // whose seq is current but whose values drifted. A task is at most once in a statement (a grain waits for
    // its write), as ON CONFLICT DO UPDATE requires.
    private const string WriteSql = """
        WITH history AS (
            INSERT INTO task_transitions (task_id, seq, from_status, to_status, actor, kind, reason, by_whom, at)
            SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
            ON CONFLICT (task_id, seq) DO NOTHING
        )
        INSERT INTO tasks AS t (task_id, channel_id, title, status, priority, retry_count, last_error,
                                cost_usd, youtube_url, seq, created_at, updated_at)
        SELECT * FROM unnest($10::text[], $11::text[], $12::text[], $13::text[], $14::int[], $15::int[], $16::text[],
                             $17::numeric[], $18::text[], $19::int[], $20::timestamptz[], $21::timestamptz[])
        ON CONFLICT (task_id) DO UPDATE SET
            channel_id = excluded.channel_id, title = excluded.title, status = excluded.status,
            priority = excluded.priority, retry_count = excluded.retry_count, last_error = excluded.last_error,
            cost_usd = excluded.cost_usd, youtube_url = excluded.youtube_url, seq = excluded.seq,
            created_at = excluded.created_at, updated_at = excluded.updated_at
        WHERE t.seq < excluded.seq
           OR (t.seq = excluded.seq AND (t.channel_id, t.title, t.status, t.priority, t.retry_count, t.last_error,
                                         t.cost_usd, t.youtube_url, t.updated_at)
                 IS DISTINCT FROM (excluded.channel_id, excluded.title, excluded.status, excluded.priority,
                                   excluded.retry_count, excluded.last_error, excluded.cost_usd,
                                   excluded.youtube_url, excluded.updated_at))
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<TaskReadModel> _logger;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>();
    private readonly Task[] _writers;
    private long _writes;
    private long _statements;

    public TaskReadModel(NpgsqlDataSource dataSource, ILogger<TaskReadModel> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        _writers = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteBatchesAsync))];
    }

    /// <summary>Task writes made so far, and in how many statements: how well they are being grouped.</summary>
    public (long Writes, long Statements) Written => (Interlocked.Read(ref _writes), Interlocked.Read(ref _statements));

    /// <summary>Writes <paramref name="transitions"/> and the task's current row, as they are now.</summary>
    public Task WriteAsync(TaskState task, IReadOnlyList<TransitionRecord> transitions, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var write = new PendingWrite(Row.Of(task), [.. transitions.Select(t => History.Of(task.TaskId, t))]);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(TaskReadModel));
        }

        return write.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteBatchesAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch);
                batch.Clear();
            }
        }
    }

    private async Task WriteAsync(List<PendingWrite> batch)
    {
        try
        {
            await ExecuteAsync(batch);
            foreach (var write in batch)
            {
                write.Completion.TrySetResult();
            }
        }
        catch (PostgresException e) when (batch.Count > 1)
        {
            // One task's rows broke a rule of the database: that must not fail the others. Write each alone.
            LogBatchRefused(batch.Count, e.MessageText);
            foreach (var write in batch)
            {
                await WriteAsync([write]);
            }
        }
        catch (Exception e)
        {
            foreach (var write in batch)
            {
                write.Completion.TrySetException(e);
            }
        }
    }

    private async Task ExecuteAsync(List<PendingWrite> batch)
    {
        var history = batch.SelectMany(w => w.History).ToList();
        var rows = batch.Select(w => w.Row).ToList();
        await using var command = _dataSource.CreateCommand(WriteSql);
        var p = command.Parameters;
        p.Add(Array(NpgsqlDbType.Text, history.Select(h => h.TaskId)));
        p.Add(Array(NpgsqlDbType.Integer, history.Select(h => h.Sequence)));
        p.Add(Array(NpgsqlDbType.Text, history.Select(h => h.From)));
        p.Add(Array(NpgsqlDbType.Text, history.Select(h => h.To)));
        p.Add(Array(NpgsqlDbType.Text, history.Select(h => h.Actor)));
        p.Add(Array(NpgsqlDbType.Text, history.Select(h => h.Kind)));
        p.Add(Array(NpgsqlDbType.Text, history.Select(h => h.Reason)));
        p.Add(Array(NpgsqlDbType.Text, history.Select(h => h.By)));
        p.Add(Array(NpgsqlDbType.TimestampTz, history.Select(h => h.At)));
        p.Add(Array(NpgsqlDbType.Text, rows.Select(r => r.TaskId)));
        p.Add(Array(NpgsqlDbType.Text, rows.Select(r => r.ChannelId)));
        p.Add(Array(NpgsqlDbType.Text, rows.Select(r => r.Title)));
        p.Add(Array(NpgsqlDbType.Text, rows.Select(r => r.Status)));
        p.Add(Array(NpgsqlDbType.Integer, rows.Select(r => r.Priority)));
        p.Add(Array(NpgsqlDbType.Integer, rows.Select(r => r.RetryCount)));
        p.Add(Array(NpgsqlDbType.Text, rows.Select(r => r.LastError)));
        p.Add(Array(NpgsqlDbType.Numeric, rows.Select(r => r.CostUsd)));
        p.Add(Array(NpgsqlDbType.Text, rows.Select(r => r.YouTubeUrl)));
        p.Add(Array(NpgsqlDbType.Integer, rows.Select(r => r.Sequence)));
        p.Add(Array(NpgsqlDbType.TimestampTz, rows.Select(r => r.CreatedAt)));
        p.Add(Array(NpgsqlDbType.TimestampTz, rows.Select(r => r.UpdatedAt)));
        await command.ExecuteNonQueryAsync();
        Interlocked.Increment(ref _statements);
        Interlocked.Add(ref _writes, batch.Count);
    }

    private static NpgsqlParameter Array<T>(NpgsqlDbType type, IEnumerable<T> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A statement of {Count} tasks' read-model writes was refused ({Reason}); writing them one by one")]
    private partial void LogBatchRefused(int count, string reason);

    private sealed record PendingWrite(Row Row, History[] History)
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The task's row, as the columns of <c>tasks</c> hold it.</summary>
    private sealed record Row(string TaskId, string ChannelId, string Title, string Status, int Priority, int RetryCount,
        string? LastError, decimal CostUsd, string? YouTubeUrl, int Sequence, DateTime CreatedAt, DateTime UpdatedAt)
    {
        public static Row Of(TaskState s) => new(s.TaskId, s.ChannelId, s.Title, WorkflowDefinition.Get(s.Status).Code, s.Priority,
            s.RetryCount, s.LastError, s.CostUsd, s.YouTubeUrl, s.Sequence, s.CreatedAt, s.UpdatedAt);
    }

    /// <summary>One transition, as the columns of <c>task_transitions</c> hold it.</summary>
    private sealed record History(string TaskId, int Sequence, string? From, string To, string Actor, string? Kind,
        string? Reason, string? By, DateTime At)
    {
        public static History Of(string taskId, TransitionRecord t) => new(taskId, t.Sequence,
            t.From is { } from ? WorkflowDefinition.Get(from).Code : null, WorkflowDefinition.Get(t.To).Code,
            WorkflowCodes.Of(t.Actor), t.Kind is { } kind ? WorkflowCodes.Of(kind) : null, t.Reason, t.By, t.At);
    }
}
