using Npgsql;

namespace Pipeline.ApiGateway.Tasks;

/// <summary>
/// Reads the read model the task grains keep (<c>tasks</c>, <c>task_transitions</c>, sql/005), so listing and
/// counting never wake grains. Every value goes in as a parameter.
/// </summary>
public sealed class TaskQueries(NpgsqlDataSource database)
{
    private const string RowColumns =
        "task_id, channel_id, title, status, priority, retry_count, last_error, cost_usd, youtube_url, created_at, updated_at";

    /// <summary>One page of tasks, newest change first (ties by id), and how many match in all.</summary>
    public async Task<TaskPage> ListAsync(TaskListQuery query, CancellationToken cancellationToken)
    {
        var (where, values) = Filter(query);

        // One round trip for both. The order matches the tasks_recent / tasks_by_status /
        // tasks_by_channel indexes, so a page is read off an index instead of sorting the table.
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(Command($"SELECT count(*) FROM tasks{where}", values));
        batch.BatchCommands.Add(Command(
            $"SELECT {RowColumns} FROM tasks{where} ORDER BY updated_at DESC, task_id " +
            $"LIMIT ${values.Count + 1} OFFSET ${values.Count + 2}",
            [.. values, query.PageSize, query.Offset]));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        var items = new List<TaskRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var status = reader.GetString(3);
            items.Add(new TaskRow(
                TaskId: reader.GetString(0),
                ChannelId: reader.GetString(1),
                Title: reader.GetString(2),
                Status: status,
                StatusName: StatusNames.NotionName(status),
                Priority: reader.GetInt32(4),
                RetryCount: reader.GetInt32(5),
                LastError: reader.IsDBNull(6) ? null : reader.GetString(6),
                CostUsd: reader.GetDecimal(7),
                YoutubeUrl: reader.IsDBNull(8) ? null : reader.GetString(8),
                CreatedAt: reader.GetDateTime(9),
                UpdatedAt: reader.GetDateTime(10)));
        }

        return new TaskPage(items, total, query.Page, query.PageSize);
    }

    /// <summary>
    /// The WHERE clause of a listing and the values of its parameters ($1, $2, …). A single status is
    /// compared with <c>=</c>, not <c>= ANY</c>, so the planner can walk tasks_by_status in order and stop
    /// at the page.
    /// </summary>
    public static (string Where, IReadOnlyList<object> Values) Filter(TaskListQuery query)
    {
        var conditions = new List<string>();
        var values = new List<object>();
        if (query.ChannelId is { } channel)
        {
            values.Add(channel);
            conditions.Add($"channel_id = ${values.Count}");
        }

        if (query.Statuses.Count == 1)
        {
            values.Add(query.Statuses[0]);
            conditions.Add($"status = ${values.Count}");
        }
        else if (query.Statuses.Count > 1)
        {
            values.Add(query.Statuses.ToArray());
            conditions.Add($"status = ANY(${values.Count})");
        }

        return (conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions), values);
    }

    /// <summary>A task's history from the read model, oldest first.</summary>
    public async Task<IReadOnlyList<TransitionResponse>> TransitionsAsync(string taskId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT seq, from_status, to_status, actor, kind, reason, by_whom, at " +
            "FROM task_transitions WHERE task_id = $1 ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = taskId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var transitions = new List<TransitionResponse>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var from = reader.IsDBNull(1) ? null : reader.GetString(1);
            var to = reader.GetString(2);
            transitions.Add(new TransitionResponse(
                Seq: reader.GetInt32(0),
                FromStatus: from,
                FromStatusName: StatusNames.NotionName(from),
                ToStatus: to,
                ToStatusName: StatusNames.NotionName(to),
                Actor: reader.GetString(3),
                Kind: reader.IsDBNull(4) ? null : reader.GetString(4),
                Reason: reader.IsDBNull(5) ? null : reader.GetString(5),
                By: reader.IsDBNull(6) ? null : reader.GetString(6),
                At: reader.GetDateTime(7)));
        }

        return transitions;
    }

    /// <summary>How many tasks each channel has in each status, in one query for all channels.</summary>
    /// <returns>Channel id → status code → count; channels with no tasks are absent.</returns>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>> CountsByChannelAsync(
        CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT channel_id, status, count(*) FROM tasks GROUP BY channel_id, status");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var channel = reader.GetString(0);
            if (!counts.TryGetValue(channel, out var byStatus))
            {
                counts[channel] = byStatus = new Dictionary<string, long>(StringComparer.Ordinal);
            }

            byStatus[reader.GetString(1)] = reader.GetInt64(2);
        }

        return counts.ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, long>)c.Value, StringComparer.Ordinal);
    }

    /// <summary>How many tasks one channel has in each status.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(string channelId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            "SELECT status, count(*) FROM tasks WHERE channel_id = $1 GROUP BY status");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = channelId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    // A parameter object belongs to one command, so each command of the batch gets its own.
    private static NpgsqlBatchCommand Command(string sql, IEnumerable<object> values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
