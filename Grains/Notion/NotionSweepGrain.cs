using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Notion;

namespace Pipeline.Grains.Notion;

/// <summary>A channel's periodic reading of its Notion database (see <see cref="INotionSweepGrain"/>).</summary>
public sealed partial class NotionSweepGrain(
    NotionClients notion,
    NotionSyncOptions options,
    ILogger<NotionSweepGrain> logger) : Grain, INotionSweepGrain, IRemindable
{
    private const string SweepReminder = "notion-sweep";

    private string ChannelId => this.GetPrimaryKeyString();

    public async Task Start() => await this.RegisterOrUpdateReminder(SweepReminder, options.SweepPeriod, options.SweepPeriod);

    public async Task<NotionSweepResult> SweepNow()
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["ChannelId"] = ChannelId });
        var outcomes = new Dictionary<NotionReconcileOutcome, int>();
        if (!notion.Enabled)
        {
            return new NotionSweepResult(ChannelId, 0, outcomes, "NOTION_TOKEN is not set");
        }

        var config = (await GrainFactory.GetGrain<IChannelGrain>(ChannelId).GetConfig()) is { Enabled: true, Notion: { } notionConfig } ? notionConfig : null;
        if (config is null)
        {
            return new NotionSweepResult(ChannelId, 0, outcomes, "the channel has no Notion database in channels.yaml");
        }

        var pages = 0;
        try
        {
            // Every page, every time: Notion rounds edit times to the minute and webhooks can be lost for
            // any page, so "edited since the last sweep" would miss exactly what the sweep is for.
            await foreach (var page in notion.For(ChannelId, "sweep").QueryDatabaseAsync(config.DatabaseId, new NotionQuery()))
            {
                pages++;
                var outcome = await GrainFactory.GetGrain<INotionPageGrain>(page.Id).Reconcile(ChannelId, NotionTaskColumns.Read(page, config.Properties));
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        }
        catch (NotionException e)
        {
            LogSweepFailed(pages, e.Message);
            return new NotionSweepResult(ChannelId, pages, outcomes, e.Message);
        }

        LogSwept(pages, string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
        return new NotionSweepResult(ChannelId, pages, outcomes);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == SweepReminder)
        {
            await SweepNow();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notion sweep: {Pages} page(s); {Outcomes}")]
    private partial void LogSwept(int pages, string outcomes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notion sweep stopped after {Pages} page(s): {Reason}")]
    private partial void LogSweepFailed(int pages, string reason);
}
