using Npgsql;

namespace Pipeline.Benchmarks.Workflow;

public sealed record TransitionTotals(long Transitions, long HistoryRows, TimeSpan Span);

public static class Sql
{
    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
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
