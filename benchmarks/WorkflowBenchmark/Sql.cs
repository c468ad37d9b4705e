using Npgsql;

namespace Pipeline.Benchmarks.Workflow;

public sealed record TransitionTotals(long Transitions, long HistoryRows, TimeSpan Span);

/// <summary>One statement's share of PostgreSQL's time, from pg_stat_statements.</summary>
public sealed record StatementTime(long QueryId, string Statement, long Calls, long Rows, double TotalMs, long Blocks)
{
    /// <summary>The same statement over two stretches.</summary>
    public static StatementTime operator +(StatementTime a, StatementTime b) =>
        a with { Calls = a.Calls + b.Calls, Rows = a.Rows + b.Rows, TotalMs = a.TotalMs + b.TotalMs, Blocks = a.Blocks + b.Blocks };
}

/// <summary>Writes to the grain-state table so far: row updates, how many of them were HOT, and TOAST chunks stored (payloads over ~2 kB).</summary>
public sealed record StateTableWrites(long Updates, long HotUpdates, long ToastChunks)
{
    public static StateTableWrites operator -(StateTableWrites a, StateTableWrites b) =>
        new(a.Updates - b.Updates, a.HotUpdates - b.HotUpdates, a.ToastChunks - b.ToastChunks);

    public static StateTableWrites operator +(StateTableWrites a, StateTableWrites b) =>
        new(a.Updates + b.Updates, a.HotUpdates + b.HotUpdates, a.ToastChunks + b.ToastChunks);
}

public static class Sql
{
    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Starts counting PostgreSQL's time per statement afresh, when the server loads pg_stat_statements
    /// (the runner starts it so); false when it does not, and the report says so.
    /// </summary>
    public static async Task<bool> ResetStatementTimesAsync(NpgsqlDataSource db)
    {
        if (!(await ScalarAsync<string>(db, "SHOW shared_preload_libraries")).Contains("pg_stat_statements", StringComparison.Ordinal))
        {
            return false;
        }

        await using var create = db.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        await create.ExecuteNonQueryAsync();
        await using var reset = db.CreateCommand("SELECT pg_stat_statements_reset()");
        await reset.ExecuteNonQueryAsync();
        return true;
    }

    /// <summary>The statements that took most of PostgreSQL's time since the reset, each as its first words.</summary>
    public static async Task<List<StatementTime>> StatementTimesAsync(NpgsqlDataSource db, int top)
    {
        await using var command = db.CreateCommand("""
            SELECT queryid, left(regexp_replace(query, '\s+', ' ', 'g'), 90), calls, rows, total_exec_time,
                   shared_blks_hit + shared_blks_read
              FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
             ORDER BY total_exec_time DESC
             LIMIT $1
            """);
        command.Parameters.AddWithValue(top);
        var times = new List<StatementTime>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            times.Add(new StatementTime(reader.GetInt64(0), reader.GetString(1).Trim(), reader.GetInt64(2), reader.GetInt64(3), reader.GetDouble(4), reader.GetInt64(5)));
        }

        return times;
    }

    public static async Task<StateTableWrites> StateTableWritesAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("""
            SELECT s.n_tup_upd, s.n_tup_hot_upd, coalesce(t.n_tup_ins, 0)
              FROM pg_stat_all_tables s
              JOIN pg_class c ON c.oid = s.relid
              LEFT JOIN pg_stat_all_tables t ON t.relid = c.reltoastrelid
             WHERE s.relname = 'orleansstorage' AND s.schemaname = current_schema()
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new StateTableWrites(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>Published tasks whose id starts with <paramref name="prefix"/> and a dash.</summary>
    public static async Task<long> PublishedAsync(NpgsqlDataSource db, string prefix)
    {
        await using var command = db.CreateCommand("SELECT count(*) FROM tasks WHERE status = 'published' AND task_id LIKE $1");
        command.Parameters.AddWithValue(prefix + "-%");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Transitions made by the tasks of <paramref name="prefix"/> (creation rows excluded), from the first queueing to the last publication.</summary>
    public static async Task<TransitionTotals> TransitionTotalsAsync(NpgsqlDataSource db, string prefix)
    {
        await using var command = db.CreateCommand("""
            SELECT count(*) FILTER (WHERE seq > 0), count(*),
                   extract(epoch FROM max(at) - min(at) FILTER (WHERE seq > 0))
              FROM task_transitions
             WHERE task_id LIKE $1
            """);
        command.Parameters.AddWithValue(prefix + "-%");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new TransitionTotals(reader.GetInt64(0), reader.GetInt64(1), TimeSpan.FromSeconds((double)reader.GetDecimal(2)));
    }

    /// <summary>
    /// The time each system transition took after the one before it in the same task: the cost of one
    /// persisted move (grain state, history row and read-model row). Waiting for a channel slot (the
    /// claim) is a queue, not a transition's cost, so it is left out.
    /// </summary>
    public static async Task<List<double>> SystemTransitionGapsAsync(NpgsqlDataSource db, string prefix)
    {
        await using var command = db.CreateCommand("""
            SELECT extract(epoch FROM at - lag(at) OVER (PARTITION BY task_id ORDER BY seq)) * 1000, kind, actor
              FROM task_transitions
             WHERE task_id LIKE $1
            """);
        command.Parameters.AddWithValue(prefix + "-%");
        var gaps = new List<double>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (!reader.IsDBNull(0) && reader.GetString(2) == "system" && (reader.IsDBNull(1) || reader.GetString(1) != "claim"))
            {
                gaps.Add((double)reader.GetDecimal(0));
            }
        }

        return gaps;
    }
}
