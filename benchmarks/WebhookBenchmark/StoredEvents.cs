using System.Diagnostics;
using Npgsql;

namespace Pipeline.Benchmarks.Webhooks;

/// <summary>
/// How many webhook events the gateway has stored (their ids in <c>notion_events</c>, kept for days, so none expire
/// during a run). The 202 comes before the event is stored (the gateway batches its inserts and then cues the page
/// grains one-way), so the rate of 202s alone could outrun what the database keeps up with.
/// </summary>
public sealed class StoredEvents(NpgsqlDataSource database)
{
    public async Task<long> CountAsync()
    {
        await using var command = database.CreateCommand("SELECT count(*) FROM notion_events");
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>Waits until <paramref name="expected"/> events are stored or <paramref name="limit"/> passes.</summary>
    /// <returns>The count reached and how long it took from the call.</returns>
    public async Task<(long Stored, TimeSpan After)> WaitForAsync(long expected, TimeSpan limit)
    {
        var start = Stopwatch.GetTimestamp();
        long stored;
        while ((stored = await CountAsync()) < expected && Stopwatch.GetElapsedTime(start) < limit)
        {
            await Task.Delay(250);
        }

        return (stored, Stopwatch.GetElapsedTime(start));
    }
}
