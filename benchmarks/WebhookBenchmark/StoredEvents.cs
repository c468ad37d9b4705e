using System.Diagnostics;
using Npgsql;

namespace Pipeline.Benchmarks.Webhooks;

/// <summary>
/// How many webhook events the page grains have stored. The 202 comes before the grain has done anything (the cue is
/// one-way), so the rate of 202s alone could outrun what the silo keeps up with. Counted as the event ids in the stored
/// states' SeenEvents (kept for days, so none expire during a run), not as writes: a write that fails leaves its id to
/// the page's next write, and a page grain may one day write once for several events.
/// </summary>
public sealed class StoredEvents(NpgsqlDataSource database)
{
    private const string Pages = "FROM orleansstorage WHERE graintypestring ILIKE '%notionpage%' AND payloadbinary IS NOT NULL";

    public async Task<long> CountAsync()
    {
        // The state is System.Text.Json; the property's case is left to the serializer's settings.
        await using var command = database.CreateCommand($"""
            WITH page AS (SELECT convert_from(payloadbinary, 'UTF8')::jsonb AS state {Pages})
            SELECT coalesce(sum((SELECT count(*) FROM jsonb_each(state) field
                                 CROSS JOIN LATERAL jsonb_object_keys(CASE WHEN jsonb_typeof(field.value) = 'object' THEN field.value ELSE '{"{}"}'::jsonb END)
                                 WHERE lower(field.key) = 'seenevents')), 0)
              FROM page
            """);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>State writes the page grains have made (each adds one to its row's version).</summary>
    public async Task<long> WritesAsync()
    {
        await using var command = database.CreateCommand($"SELECT coalesce(sum(version), 0) {Pages}");
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
