using System.Diagnostics;
using Npgsql;

namespace Pipeline.Benchmarks.Webhooks;

/// <summary>
/// How many webhook events the page grains have stored. The 202 comes before the grain has done anything (the cue is
/// one-way), so the rate of 202s alone could outrun what the silo keeps up with. With Notion reads off, a page grain
/// writes its state exactly once per new event id, and every write adds one to the row's version: the sum of the
/// versions of the page grains' rows is the number of events stored.
/// </summary>
public sealed class StoredEvents(NpgsqlDataSource database)
{
    public async Task<long> CountAsync()
    {
        await using var command = database.CreateCommand(
            "SELECT coalesce(sum(version), 0) FROM orleansstorage WHERE graintypestring ILIKE '%notionpage%'");
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
            await Task.Delay(100);
        }

        return (stored, Stopwatch.GetElapsedTime(start));
    }
}
