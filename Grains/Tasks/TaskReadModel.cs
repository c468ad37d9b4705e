using Npgsql;
using NpgsqlTypes;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Tasks;

/// <summary>
/// Writes a task's rows of the read model (<c>tasks</c> and <c>task_transitions</c>) in one round
/// trip. Every write is idempotent: history rows are keyed by (task, seq) and the current row only
/// moves forward in seq, so replaying a grain's outbox after a crash is always safe.
/// </summary>
public sealed class TaskReadModel(NpgsqlDataSource dataSource)
{
    private const string InsertTransition = """
        INSERT INTO task_transitions (task_id, seq, from_status, to_status, actor, kind, reason, by_whom, at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (task_id, seq) DO NOTHING
        """;

    // The WHERE clause makes a repeated or late write a no-op, and lets a repair rewrite a row
    // whose seq is current but whose values drifted.
    private const string UpsertTask = """
        INSERT INTO tasks AS t (task_id, channel_id, title, status, priority, retry_count, last_error,
                                cost_usd, youtube_url, seq, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
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

    public async Task WriteAsync(TaskState task, IReadOnlyList<TransitionRecord> transitions, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var transition in transitions)
        {
            batch.BatchCommands.Add(TransitionCommand(task.TaskId, transition));
        }

        batch.BatchCommands.Add(TaskCommand(task));
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand TransitionCommand(string taskId, TransitionRecord t) => new(InsertTransition)
    {
        Parameters =
        {
            new() { Value = taskId },
            new() { Value = t.Sequence },
            new() { Value = t.From is { } from ? WorkflowDefinition.Get(from).Code : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = WorkflowDefinition.Get(t.To).Code },
            new() { Value = WorkflowCodes.Of(t.Actor) },
            new() { Value = t.Kind is { } kind ? WorkflowCodes.Of(kind) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)t.Reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)t.By ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = t.At },
        },
    };

    private static NpgsqlBatchCommand TaskCommand(TaskState s) => new(UpsertTask)
    {
        Parameters =
        {
            new() { Value = s.TaskId },
            new() { Value = s.ChannelId },
            new() { Value = s.Title },
            new() { Value = WorkflowDefinition.Get(s.Status).Code },
            new() { Value = s.Priority },
            new() { Value = s.RetryCount },
            new() { Value = (object?)s.LastError ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = s.CostUsd },
            new() { Value = (object?)s.YouTubeUrl ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = s.Sequence },
            new() { Value = s.CreatedAt },
            new() { Value = s.UpdatedAt },
        },
    };
}
