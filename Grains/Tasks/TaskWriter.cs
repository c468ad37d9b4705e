using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Tasks;

/// <summary>
/// Writes tasks: with a move, the task grain's state row (for <see cref="TaskStateStorage"/>), and the task's rows
/// of the read model (<c>task_transitions</c> and <c>tasks</c>), many tasks in one statement: a group commit. A
/// task's write waits for the statement it is in; while one is at the database the next one fills, so the
/// busier the silo, the fewer round trips per write.
/// A move's state, history and row are one transaction, so the read model never lags a stored move. Read-model
/// writes are idempotent: history rows are keyed by (task, seq) and the current row only moves forward in seq,
/// so replaying an old outbox is always safe. A row the database refuses fails only its own task's write.
/// </summary>
public sealed partial class TaskWriter : IAsyncDisposable
{
    /// <summary>More than this in one statement costs more in planning and locks than it saves.</summary>
    public const int MaxBatch = 500;

    /// <summary>Two statements in flight: one at the database while the silo gathers the next.</summary>
    private const int Writers = 2;

    // The grain states first ($22–$28), in the ADO.NET provider's rows, with sql/003's compare-and-set on version
    // (WriteToStorageKey) for many rows at once: a first write (no version) inserts version 1 where there is no row;
    // a later one moves the row from the version the grain holds to the next. Both go through the row's unique key
    // (ON CONFLICT), never through a join whose plan could depend on the table's statistics of the moment. The
    // proposed row carries the next version, so "the stored version is the one before it" is the whole check; for
    // a first write that asks for version 0, which no row has (versions start at 1), so an existing row refuses it.
    // (Unlike the provider's one-row write, a later write whose row was deleted by hand puts it back rather than
    // failing: the active grain's state is the truth.)
    // A task whose state is not stored gets no history or row either; tasks with no state here (a repair) are
    // written as they come.
    // The WHERE clause of the upsert makes a repeated or late write a no-op, and lets a repair rewrite a row
    // whose seq is current but whose values drifted. A task is at most once in a statement (the batcher sees to
    // it), as ON CONFLICT DO UPDATE requires.
    private const string WriteSql = """
        WITH stored AS (
            INSERT INTO orleansstorage AS o (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
                                             grainidextensionstring, serviceid, payloadbinary, version)
            SELECT s.id_hash, 0, 0, s.type_hash, s.grain_type, s.task_id, s.service_id, s.payload, coalesce(s.version + 1, 1)
              FROM unnest($22::text[], $23::int[], $24::int[], $25::text[], $26::text[], $27::int[], $28::bytea[])
                AS s(task_id, id_hash, type_hash, grain_type, service_id, version, payload)
            ON CONFLICT (grainidhash, graintypehash, serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring)
            DO UPDATE SET payloadbinary = excluded.payloadbinary, version = excluded.version, modifiedon = now()
             WHERE o.version = excluded.version - 1
            RETURNING o.grainidextensionstring AS task_id, o.version
        ), history AS (
            INSERT INTO task_transitions (task_id, seq, from_status, to_status, actor, kind, reason, by_whom, at)
            SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[])
                AS h(task_id, seq, from_status, to_status, actor, kind, reason, by_whom, at)
             WHERE h.task_id NOT IN (SELECT unnest($22::text[])) OR h.task_id IN (SELECT task_id FROM stored)
            ON CONFLICT (task_id, seq) DO NOTHING
        ), current_rows AS (
            INSERT INTO tasks AS t (task_id, channel_id, title, status, priority, retry_count, last_error,
                                    cost_usd, youtube_url, seq, created_at, updated_at)
            SELECT * FROM unnest($10::text[], $11::text[], $12::text[], $13::text[], $14::int[], $15::int[], $16::text[],
                                 $17::numeric[], $18::text[], $19::int[], $20::timestamptz[], $21::timestamptz[])
                AS r(task_id, channel_id, title, status, priority, retry_count, last_error, cost_usd, youtube_url,
                     seq, created_at, updated_at)
             WHERE r.task_id NOT IN (SELECT unnest($22::text[])) OR r.task_id IN (SELECT task_id FROM stored)
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
        )
        SELECT task_id, version FROM stored
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<TaskWriter> _logger;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>();
    private readonly Task[] _writers;
    private long _writes;
    private long _statements;

    public TaskWriter(NpgsqlDataSource dataSource, ILogger<TaskWriter> logger)
    {
        _dataSource = dataSource;
        _logger = logger;
        _writers = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteBatchesAsync))];
    }

    /// <summary>Task writes made so far, and in how many statements: how well they are being grouped.</summary>
    public (long Writes, long Statements) Written => (Interlocked.Read(ref _writes), Interlocked.Read(ref _statements));

    /// <summary>Writes <paramref name="transitions"/> and the task's current row, as they are now.</summary>
    public Task WriteAsync(TaskState task, IReadOnlyList<TransitionRecord> transitions, CancellationToken cancellationToken = default) =>
        Enqueue(task, transitions, state: null, cancellationToken);

    /// <summary>
    /// Writes the task grain's <paramref name="state"/> row and, in the same transaction, <paramref name="transitions"/>
    /// and the task's current row. Returns the state's new version; throws <see cref="InconsistentStateException"/>
    /// and writes nothing when the stored version is no longer <see cref="TaskStateRow.ExpectedVersion"/>.
    /// </summary>
    public async Task<int> WriteAsync(TaskState task, IReadOnlyList<TransitionRecord> transitions, TaskStateRow state,
        CancellationToken cancellationToken = default)
    {
        if (state.TaskId != task.TaskId)
        {
            throw new ArgumentException($"The state row of {state.TaskId} cannot go with the rows of task {task.TaskId}.", nameof(state));
        }

        return await Enqueue(task, transitions, state, cancellationToken) ?? throw new InvalidOperationException("A state write came back without a version.");
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private Task<int?> Enqueue(TaskState task, IReadOnlyList<TransitionRecord> transitions, TaskStateRow? state, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var write = new PendingWrite(Row.Of(task), [.. transitions.Select(t => History.Of(task.TaskId, t))], state);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(TaskWriter));
        }

        return write.Completion.Task;
    }

    private async Task WriteBatchesAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        var inBatch = new HashSet<string>(StringComparer.Ordinal);
        // A second write of a task already in the batch (a repair racing a move, or two activations of one task
        // for a moment) waits for the next statement: one statement may touch a row only once.
        var next = new List<PendingWrite>();
        while (next.Count > 0 || await _queue.Reader.WaitToReadAsync())
        {
            var waiting = next;
            next = [];
            foreach (var write in waiting)
            {
                Add(write);
            }

            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                Add(write);
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch);
                batch.Clear();
                inBatch.Clear();
            }
        }

        void Add(PendingWrite write)
        {
            if (batch.Count < MaxBatch && inBatch.Add(write.Row.TaskId))
            {
                batch.Add(write);
            }
            else
            {
                next.Add(write);
            }
        }
    }

    private async Task WriteAsync(List<PendingWrite> batch)
    {
        try
        {
            var stored = await ExecuteAsync(batch);
            foreach (var write in batch)
            {
                Complete(write, stored);
            }
        }
        catch (PostgresException e) when (batch.Count > 1)
        {
            // One task's rows broke a rule of the database: that must not fail the others. Nothing of the
            // statement was written, so write each alone.
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

    private static void Complete(PendingWrite write, Dictionary<string, int> stored)
    {
        if (write.State is not { } state)
        {
            write.Completion.TrySetResult(null);
        }
        else if (stored.TryGetValue(state.TaskId, out var version))
        {
            write.Completion.TrySetResult(version);
        }
        else
        {
            var etag = state.ExpectedVersion?.ToString(CultureInfo.InvariantCulture);
            write.Completion.TrySetException(new InconsistentStateException(
                $"Version conflict (WriteState): task {state.TaskId} is no longer at version {etag ?? "(none)"}; another activation wrote it.",
                storedEtag: null, currentEtag: etag));
        }
    }

    private async Task<Dictionary<string, int>> ExecuteAsync(List<PendingWrite> batch)
    {
        var history = batch.SelectMany(w => w.History).ToList();
        var rows = batch.Select(w => w.Row).ToList();
        var states = batch.Where(w => w.State is not null).Select(w => w.State!).ToList();
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
        p.Add(Array(NpgsqlDbType.Text, states.Select(s => s.TaskId)));
        p.Add(Array(NpgsqlDbType.Integer, states.Select(s => s.GrainIdHash)));
        p.Add(Array(NpgsqlDbType.Integer, states.Select(s => s.GrainTypeHash)));
        p.Add(Array(NpgsqlDbType.Text, states.Select(s => s.GrainType)));
        p.Add(Array(NpgsqlDbType.Text, states.Select(s => s.ServiceId)));
        p.Add(Array(NpgsqlDbType.Integer, states.Select(s => s.ExpectedVersion)));
        p.Add(Array(NpgsqlDbType.Bytea, states.Select(s => s.Payload)));
        var stored = new Dictionary<string, int>(states.Count, StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                stored[reader.GetString(0)] = reader.GetInt32(1);
            }
        }

        Interlocked.Increment(ref _statements);
        Interlocked.Add(ref _writes, batch.Count);
        return stored;
    }

    private static NpgsqlParameter Array<T>(NpgsqlDbType type, IEnumerable<T> values) =>
        new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A statement of {Count} tasks' writes was refused ({Reason}); writing them one by one")]
    private partial void LogBatchRefused(int count, string reason);

    private sealed record PendingWrite(Row Row, History[] History, TaskStateRow? State)
    {
        public TaskCompletionSource<int?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
