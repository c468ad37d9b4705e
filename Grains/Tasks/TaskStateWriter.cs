using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Tasks;

/// <summary>
/// Writes task states with their read-model rows (<c>task_transitions</c>, <c>tasks</c>) for many tasks in one
/// statement and one transaction: a group commit. A task's write waits for the batch it is in; while one batch
/// is at the database the next one fills, so the busier the silo, the larger the batches and the fewer the
/// round trips. Each task's state is compare-and-set on its version, and its read-model rows are written only
/// with its state, so a conflicting write changes nothing.
/// </summary>
public sealed partial class TaskStateWriter : IAsyncDisposable
{
    /// <summary>More than this in one statement costs more in planning and locks than it saves.</summary>
    public const int MaxBatch = 500;

    /// <summary>Two batches in flight: one at the database while the silo builds the next.</summary>
    private const int Writers = 2;

    private const string WriteSql = """
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::int[], $3::bytea[]) AS i(task_id, expected, payload)
        ), updated AS (
            UPDATE task_state s SET version = s.version + 1, payload = i.payload, updated_at = now()
            FROM input i
            WHERE s.task_id = i.task_id AND s.version = i.expected
            RETURNING s.task_id, s.version
        ), inserted AS (
            INSERT INTO task_state (task_id, version, payload)
            SELECT task_id, 1, payload FROM input WHERE expected IS NULL
            ON CONFLICT (task_id) DO NOTHING
            RETURNING task_id, version
        ), written AS (
            SELECT task_id, version FROM updated UNION ALL SELECT task_id, version FROM inserted
        ), history AS (
            INSERT INTO task_transitions (task_id, seq, from_status, to_status, actor, kind, reason, by_whom, at)
            SELECT h.task_id, h.seq, h.from_status, h.to_status, h.actor, h.kind, h.reason, h.by_whom, h.at
            FROM unnest($4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[])
                 AS h(task_id, seq, from_status, to_status, actor, kind, reason, by_whom, at)
            JOIN written USING (task_id)
            ON CONFLICT (task_id, seq) DO NOTHING
        ), current AS (
            INSERT INTO tasks AS t (task_id, channel_id, title, status, priority, retry_count, last_error,
                                    cost_usd, youtube_url, seq, created_at, updated_at)
            SELECT r.task_id, r.channel_id, r.title, r.status, r.priority, r.retry_count, r.last_error,
                   r.cost_usd, r.youtube_url, r.seq, r.created_at, r.updated_at
            FROM unnest($1::text[], $13::text[], $14::text[], $15::text[], $16::int[], $17::int[], $18::text[],
                        $19::numeric[], $20::text[], $21::int[], $22::timestamptz[], $23::timestamptz[])
                 AS r(task_id, channel_id, title, status, priority, retry_count, last_error,
                      cost_usd, youtube_url, seq, created_at, updated_at)
            JOIN written USING (task_id)
            ON CONFLICT (task_id) DO UPDATE SET
                channel_id = excluded.channel_id, title = excluded.title, status = excluded.status,
                priority = excluded.priority, retry_count = excluded.retry_count, last_error = excluded.last_error,
                cost_usd = excluded.cost_usd, youtube_url = excluded.youtube_url, seq = excluded.seq,
                created_at = excluded.created_at, updated_at = excluded.updated_at
            WHERE t.seq <= excluded.seq
        )
        SELECT task_id, version FROM written
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<TaskStateWriter> _logger;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>();
    private readonly Task[] _writers;
    private long _writes;
    private long _batches;

    public TaskStateWriter(NpgsqlDataSource dataSource, ILogger<TaskStateWriter> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        _writers = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteBatchesAsync))];
    }

    /// <summary>Task states written so far, and in how many statements: how well writes are being grouped.</summary>
    public (long Writes, long Batches) Written => (Interlocked.Read(ref _writes), Interlocked.Read(ref _batches));

    /// <summary>
    /// Stores <paramref name="task"/> (already serialised as <paramref name="payload"/>) if its stored version is
    /// still <paramref name="expectedVersion"/> (null: no row yet), with its unsynced transitions and its row.
    /// </summary>
    /// <returns>The new version.</returns>
    /// <exception cref="InconsistentStateException">The stored version is another: someone else wrote it.</exception>
    public Task<int> WriteAsync(TaskState task, byte[] payload, int? expectedVersion)
    {
        var write = new PendingWrite(Row.Of(task), [.. task.UnsyncedTransitions.Select(t => History.Of(task.TaskId, t))], payload, expectedVersion);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(TaskStateWriter));
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
        await using var command = _dataSource.CreateCommand(WriteSql);
        var p = command.Parameters;
        p.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Row.TaskId)));
        p.Add(Array(NpgsqlDbType.Integer, batch.Select(w => w.ExpectedVersion)));
        p.Add(Array(NpgsqlDbType.Bytea, batch.Select(w => w.Payload)));
        p.Add(Array(NpgsqlDbType.Text, history.Select(h => h.TaskId)));
        p.Add(Array(NpgsqlDbType.Integer, history.Select(h => h.Sequence)));
        p.Add(Array(NpgsqlDbType.Text, history.Select(h => h.From)));
        p.Add(Array(NpgsqlDbType.Text, history.Select(h => h.To)));
        p.Add(Array(NpgsqlDbType.Text, history.Select(h => h.Actor)));
        p.Add(Array(NpgsqlDbType.Text, history.Select(h => h.Kind)));
        p.Add(Array(NpgsqlDbType.Text, history.Select(h => h.Reason)));
        p.Add(Array(NpgsqlDbType.Text, history.Select(h => h.By)));
        p.Add(Array(NpgsqlDbType.TimestampTz, history.Select(h => h.At)));
        p.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Row.ChannelId)));
        p.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Row.Title)));
        p.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Row.Status)));
        p.Add(Array(NpgsqlDbType.Integer, batch.Select(w => w.Row.Priority)));
        p.Add(Array(NpgsqlDbType.Integer, batch.Select(w => w.Row.RetryCount)));
        p.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Row.LastError)));
        p.Add(Array(NpgsqlDbType.Numeric, batch.Select(w => w.Row.CostUsd)));
        p.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Row.YouTubeUrl)));
        p.Add(Array(NpgsqlDbType.Integer, batch.Select(w => w.Row.Sequence)));
        p.Add(Array(NpgsqlDbType.TimestampTz, batch.Select(w => w.Row.CreatedAt)));
        p.Add(Array(NpgsqlDbType.TimestampTz, batch.Select(w => w.Row.UpdatedAt)));

        var written = new Dictionary<string, int>(batch.Count, StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                written[reader.GetString(0)] = reader.GetInt32(1);
            }
        }

        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _writes, written.Count);

        foreach (var write in batch)
        {
            if (written.TryGetValue(write.Row.TaskId, out var version))
            {
                write.Completion.TrySetResult(version);
            }
            else
            {
                write.Completion.TrySetException(new InconsistentStateException(
                    $"Version conflict (WriteState): task {write.Row.TaskId} is no longer at version {write.ExpectedVersion?.ToString() ?? "none"}",
                    storedEtag: null, currentEtag: write.ExpectedVersion?.ToString()));
            }
        }
    }

    private static NpgsqlParameter Array<T>(NpgsqlDbType type, IEnumerable<T> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} task writes was refused ({Reason}); writing them one by one")]
    private partial void LogBatchRefused(int count, string reason);

    private sealed record PendingWrite(Row Row, History[] History, byte[] Payload, int? ExpectedVersion)
    {
        public TaskCompletionSource<int> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The task's row of the read model, as the columns of <c>tasks</c> hold it.</summary>
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
