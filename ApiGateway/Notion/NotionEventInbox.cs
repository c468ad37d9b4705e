using System.Globalization;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using Pipeline.Grains.Abstractions.Notion;

namespace Pipeline.ApiGateway.Notion;

/// <summary>
/// Signed webhook events on their way to their page grains. Each is deduplicated by its id across every gateway in
/// <c>notion_events</c> (sql/006) — a batch of events is one insert, not a grain state write per event — and only a
/// first delivery cues its page. Ids are deleted after the retention window
/// (<c>PIPELINE_NOTION_EVENT_RETENTION_HOURS</c>, default 72; Notion retries a delivery for about a day).
/// </summary>
public sealed partial class NotionEventInbox(
    NpgsqlDataSource database, IGrainFactory grains, IConfiguration configuration, TimeProvider clock, ILogger<NotionEventInbox> logger)
    : BackgroundService
{
    /// <summary>The most events stored by one insert.</summary>
    private const int BatchSize = 1000;

    // Bounded, so a silo that cannot keep up slows the webhook's answers instead of filling the gateway's memory.
    private readonly Channel<(NotionWebhookEvent Event, DateTime ReceivedAt)> _queue =
        Channel.CreateBounded<(NotionWebhookEvent, DateTime)>(new BoundedChannelOptions(50_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly TimeSpan _retention = RetentionFrom(configuration);

    /// <summary>Takes an event; it is stored and its page cued within milliseconds.</summary>
    /// <param name="notionEvent">The event (signature already checked).</param>
    /// <param name="cancellationToken">The request's token.</param>
    /// <returns>When the event is queued.</returns>
    public ValueTask AcceptAsync(NotionWebhookEvent notionEvent, CancellationToken cancellationToken) =>
        _queue.Writer.WriteAsync((notionEvent, clock.GetUtcNow().UtcDateTime), cancellationToken);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(DeliverAsync(stoppingToken), ForgetOldAsync(stoppingToken));

    private async Task DeliverAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(NotionWebhookEvent Event, DateTime ReceivedAt)>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                foreach (var item in await FirstDeliveriesAsync(batch))
                {
                    Cue(item);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>The events of the batch seen for the first time (stored now); all of them if the database cannot say.</summary>
    private async Task<IEnumerable<(NotionWebhookEvent Event, DateTime ReceivedAt)>> FirstDeliveriesAsync(
        List<(NotionWebhookEvent Event, DateTime ReceivedAt)> batch)
    {
        try
        {
            await using var command = database.CreateCommand("""
                INSERT INTO notion_events (event_id, page_id, received_at)
                SELECT * FROM unnest(@ids, @pages, @times)
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id
                """);
            command.Parameters.Add(new NpgsqlParameter<string[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. batch.Select(b => b.Event.Id)] });
            command.Parameters.Add(new NpgsqlParameter<string[]>("pages", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. batch.Select(b => b.Event.Entity.Id)] });
            command.Parameters.Add(new NpgsqlParameter<DateTime[]>("times", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = [.. batch.Select(b => b.ReceivedAt)] });
            var fresh = new HashSet<string>(StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    fresh.Add(reader.GetString(0));
                }
            }

            if (fresh.Count < batch.Count)
            {
                LogRepeated(batch.Count - fresh.Count);
            }

            // An id twice in one batch is inserted once; its first occurrence cues.
            return batch.Where(b => fresh.Remove(b.Event.Id));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // A repeat costs the page one more read; a lost event waits for the sweep. Better the first.
            LogNotStored(batch.Count, e.Message);
            return batch;
        }
    }

    private void Cue((NotionWebhookEvent Event, DateTime ReceivedAt) item)
    {
        try
        {
            // One-way: queued for the silo, nothing awaited.
            _ = grains.GetGrain<INotionPageGrain>(item.Event.Entity.Id).Cue(item.Event);
        }
        catch (Exception e)
        {
            // No silo reachable: the sweep reads the page later.
            LogNotCued(item.Event.Id, e.Message);
        }
    }

    private async Task ForgetOldAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        try
        {
            do
            {
                try
                {
                    await using var command = database.CreateCommand("DELETE FROM notion_events WHERE received_at < @before");
                    command.Parameters.AddWithValue("before", clock.GetUtcNow().UtcDateTime - _retention);
                    var deleted = await command.ExecuteNonQueryAsync(stoppingToken);
                    LogForgotten(deleted, _retention.TotalHours);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    LogForgetFailed(e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private static TimeSpan RetentionFrom(IConfiguration configuration) => configuration["PIPELINE_NOTION_EVENT_RETENTION_HOURS"] switch
    {
        null or "" => TimeSpan.FromHours(72),
        var text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var hours) && hours >= 1 => TimeSpan.FromHours(hours),
        var text => throw new InvalidOperationException($"PIPELINE_NOTION_EVENT_RETENTION_HOURS must be a whole number of hours, at least 1; '{text}' is not."),
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} Notion event(s) delivered again; already handled")]
    private partial void LogRepeated(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} Notion event(s) could not be stored to spot repeats ({Reason}); their pages are cued anyway")]
    private partial void LogNotStored(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notion event {EventId} could not be handed to its page ({Reason}); the sweep will read the page")]
    private partial void LogNotCued(string eventId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forgot {Count} Notion event id(s) older than {Hours} h")]
    private partial void LogForgotten(int count, double hours);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Old Notion event ids could not be deleted: {Reason}")]
    private partial void LogForgetFailed(string reason);
}
