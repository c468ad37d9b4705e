using Npgsql;

namespace Pipeline.Benchmarks.Workflow;

public sealed record TransitionTotals(long Transitions, long HistoryRows, TimeSpan Span);

/// <summary>One statement's share of PostgreSQL's time, from pg_stat_statements.</summary>
public sealed record StatementTime(string Statement, long Calls, long Rows, double TotalMs);

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
            SELECT left(regexp_replace(query, '\s+', ' ', 'g'), 90), calls, rows, total_exec_time
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
            times.Add(new StatementTime(reader.GetString(0).Trim(), reader.GetInt64(1), reader.GetInt64(2), reader.GetDouble(3)));
        }

        return times;
    }

    /// <summary>Transitions made (creation rows excluded), from the first queueing to the last publication.</summary>
    public static async Task<TransitionTotals> TransitionTotalsAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("""
            SELECT count(*) FILTER (WHERE seq > 0), count(*),
                   extract(epoch FROM max(at) - min(at) FILTER (WHERE seq > 0))
              FROM task_transitions
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new TransitionTotals(reader.GetInt64(0), reader.GetInt64(1), TimeSpan.FromSeconds((double)reader.GetDecimal(2)));
    }

    /// <summary>
    /// The time each system transition took after the one before it in the same task: the cost of one
    /// persisted move (grain state, history row and read-model row). Waiting for a channel slot (the
    /// claim) is a queue, not a transition's cost, so it is left out.
    /// </summary>
    public static async Task<List<double>> SystemTransitionGapsAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("""
            SELECT extract(epoch FROM at - lag(at) OVER (PARTITION BY task_id ORDER BY seq)) * 1000, kind, actor
              FROM task_transitions
            """);
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
