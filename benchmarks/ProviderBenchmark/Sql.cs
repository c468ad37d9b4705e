using Npgsql;

namespace Pipeline.Benchmarks.Providers;

public static class Sql
{
    public static async Task<long> PublishedAsync(NpgsqlDataSource db, string prefix)
    {
        await using var command = db.CreateCommand("SELECT count(*) FROM tasks WHERE status = 'published' AND starts_with(task_id, $1)");
        command.Parameters.AddWithValue(prefix);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The tasks in an error status, with their errors (a run that has them will never finish).</summary>
    public static async Task<List<string>> ErrorsAsync(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("SELECT task_id || ' ' || status || ': ' || coalesce(last_error, '') FROM tasks WHERE status LIKE '%\\_error' LIMIT 5");
        var errors = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            errors.Add(reader.GetString(0));
        }

        return errors;
    }

    /// <summary>Each task's first queueing and its publication, from the times the task grains wrote.</summary>
    public static async Task<List<Video>> VideosAsync(NpgsqlDataSource db, string prefix)
    {
        await using var command = db.CreateCommand("""
            SELECT t.task_id, t.channel_id,
                   min(h.at) FILTER (WHERE h.to_status = 'queued'),
                   max(h.at) FILTER (WHERE h.to_status = 'published')
              FROM tasks t JOIN task_transitions h USING (task_id)
             WHERE starts_with(t.task_id, $1)
             GROUP BY t.task_id, t.channel_id
            """);
        command.Parameters.AddWithValue(prefix);
        var videos = new List<Video>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            videos.Add(new Video(reader.GetString(0), reader.GetString(1),
                reader.GetFieldValue<DateTime>(2), reader.GetFieldValue<DateTime>(3)));
        }

        return videos;
    }
}
