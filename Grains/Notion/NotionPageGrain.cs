using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Notion;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Grains.Storage;

namespace Pipeline.Grains.Notion;

/// <summary>
/// One Notion page and its task (see <see cref="INotionPageGrain"/>). Reentrant, so a send waiting for its turn
/// at the Notion limiter never holds up a newer view or a webhook cue: a newer view replaces the one waiting,
/// and a burst of cues makes one read. Writes to storage go one at a time, each with the state as it is then.
/// </summary>
[Reentrant]
public sealed partial class NotionPageGrain(
    [PersistentState("notionPage")] IPersistentState<NotionPageState> state,
    NotionClients notion,
    NotionSyncOptions options,
    TimeProvider clock,
    ILogger<NotionPageGrain> logger) : Grain, INotionPageGrain, IRemindable
{
    private const string SendReminder = "notion-send";

    private const string NotionActor = "notion";

    private Task? _sending;
    private Task? _reading;
    private bool _readAgain;
    private GroupCommit<NotionPageState>? _writes;

    // The state as it is now; each write stores a copy of it, since the grain is reentrant and the live
    // state may change while a write is being serialized.
    private NotionPageState _live = new();

    private NotionPageState Current => _live;

    private string PageId => this.GetPrimaryKeyString();

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _live = state.State;
        if (Pending)
        {
            StartSending();
        }

        return Task.CompletedTask;
    }

    public async Task Cue(NotionWebhookEvent notionEvent)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["TaskId"] = PageId });
        // The gateway has dropped repeated deliveries (notion_events); an event only says "read the page again" —
        // unless only our own integration made the change: the page then shows what we wrote, and reading it
        // would spend a turn of the 3 requests a second for nothing.
        if (notion.Enabled && await notion.OwnUserIdAsync() is { } ownUser && notionEvent.IsOnlyBy(ownUser))
        {
            LogOwnEdit(notionEvent.Type);
            return;
        }

        LogCued(notionEvent.Type, notionEvent.AttemptNumber);
        StartReading();
    }

    public Task<NotionReconcileOutcome> Reconcile(string channelId, NotionPageSnapshot page) => ReconcileAsync(channelId, page, client: null);

    public async Task Publish(NotionTaskView view)
    {
        if (Current.Desired is { } desired && (view.Sequence < desired.Sequence || view == desired))
        {
            return;
        }

        if (Current.Desired is { } previous && view.Sequence > previous.Sequence)
        {
            // A new transition: a refusal shown until now has been answered by events.
            Current.Refusal = null;
        }

        Current.ChannelId ??= view.ChannelId;
        Current.Desired = view;
        Current.DesiredVersion++;
        await SaveAsync();
        StartSending();
    }

    public Task<NotionPageState> GetState() => Task.FromResult(Current with { });

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Pending)
        {
            StartSending();
        }

        return Task.CompletedTask;
    }

    private bool Pending => Current.Desired is not null && Current.DesiredVersion > Current.SentVersion;

    private void StartReading()
    {
        if (_reading is { IsCompleted: false })
        {
            _readAgain = true;
            return;
        }

        _reading = ReadLoopAsync();
    }

    private async Task ReadLoopAsync()
    {
        do
        {
            _readAgain = false;
            await ReadOnceAsync();
        }
        while (_readAgain);
    }

    /// <summary>Reads the page and reconciles it with its task; a transient failure is tried again a few times, then left to the sweep.</summary>
    private async Task ReadOnceAsync()
    {
        if (!notion.Enabled)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var channels = (await GrainFactory.GetGrain<IChannelDirectoryGrain>(IChannelDirectoryGrain.Key).GetState()).Channels;
                var client = notion.For(Current.ChannelId ?? NotionActor, PageId);
                var page = await client.GetPageAsync(PageId);
                if (NotionClients.ChannelOf(channels, page.DatabaseId) is not { Notion: { } config } channel)
                {
                    LogNotOurs(page.DatabaseId ?? "?");
                    return;
                }

                await ReconcileAsync(channel.Id, NotionTaskColumns.Read(page, config.Properties), client);
                return;
            }
            catch (NotionException e) when (e.IsTransient && attempt < 4)
            {
                LogReadFailed(attempt, e.Message);
                await Task.Delay(e.RetryAfter ?? TimeSpan.FromSeconds(attempt * 2), clock);
            }
            catch (NotionException e)
            {
                // The sweep reads the database again in a few minutes.
                LogReadFailed(attempt, e.Message);
                return;
            }
        }
    }

    private async Task<NotionReconcileOutcome> ReconcileAsync(string channelId, NotionPageSnapshot page, NotionClient? client)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["TaskId"] = PageId, ["ChannelId"] = channelId });
        if (page.InTrash)
        {
            return NotionReconcileOutcome.Ignored;
        }

        Current.ChannelId = channelId;
        Current.StatusIsSelect = page.StatusIsSelect;
        var taskGrain = GrainFactory.GetGrain<ITaskGrain>(PageId);
        var task = await taskGrain.GetState();
        WorkflowStatus? asked = page.Status is null ? null : WorkflowDefinition.TryParseNotionName(page.Status, out var parsed) ? parsed : null;

        if (task.TaskId.Length == 0)
        {
            return await CreateAsync(channelId, page, asked, taskGrain, client);
        }

        if (asked == task.Status)
        {
            return NotionReconcileOutcome.InStep;
        }

        if (asked is not null && asked == Current.SentStatus)
        {
            // The page shows what Pipeline wrote last (or what the page said when its task was made): no person's change.
            await EnsureViewAsync(task);
            return NotionReconcileOutcome.Repaired;
        }

        if (asked is not { } to)
        {
            return await RefuseAsync(task, page.Status is null
                ? "Status was emptied"
                : $"\"{page.Status}\" is not a status of the workflow");
        }

        var result = await taskGrain.SetStatus(to, new HumanAction(By: NotionActor));
        if (result.Ok)
        {
            LogMoved(task.Status, to);
            return NotionReconcileOutcome.Moved;
        }

        return await RefuseAsync(result.Task ?? task, result.Error ?? "refused");
    }

    private async Task<NotionReconcileOutcome> CreateAsync(
        string channelId, NotionPageSnapshot page, WorkflowStatus? asked, ITaskGrain taskGrain, NotionClient? client)
    {
        if (asked is not (null or WorkflowStatus.Draft or WorkflowStatus.Queued))
        {
            // Only a new plan can start; a page that claims to be further along has no task behind it.
            return await ShowWithoutTaskAsync(channelId,
                $"a new page starts in Draft or Queued, not in \"{page.Status}\"; set it to Queued to make this video");
        }

        string? plan;
        try
        {
            plan = await (client ?? notion.For(channelId, PageId)).FindJsonCodeBlockAsync(PageId);
        }
        catch (NotionException e) when (e.IsTransient)
        {
            // Next cue or sweep.
            LogReadFailed(1, e.Message);
            return NotionReconcileOutcome.Ignored;
        }

        var created = await taskGrain.Create(new NewTask(
            channelId, page.Title.Length > 0 ? page.Title : "Untitled", page.Topic, page.StoryDirection, page.Priority, plan,
            Queue: asked == WorkflowStatus.Queued, By: NotionActor, NotionPageId: PageId));
        if (created.Ok)
        {
            // What the page says now is where the task began, not a person's later change.
            Current.SentStatus = asked ?? WorkflowStatus.Draft;
            await SaveAsync();
            LogCreated(channelId, asked ?? WorkflowStatus.Draft);
            return NotionReconcileOutcome.Created;
        }

        return await ShowWithoutTaskAsync(channelId, created.Error ?? "the task could not be made");
    }

    /// <summary>A page with no task behind it: it goes back to Draft with the reason in Error.</summary>
    private async Task<NotionReconcileOutcome> ShowWithoutTaskAsync(string channelId, string reason)
    {
        LogRefused(reason);
        Current.Refusal = reason;
        Current.Desired = new NotionTaskView(channelId, WorkflowStatus.Draft, reason, 0, 0m, null, Now, -1);
        Current.DesiredVersion++;
        await SaveAsync();
        StartSending();
        return NotionReconcileOutcome.Refused;
    }

    private async Task<NotionReconcileOutcome> RefuseAsync(TaskState task, string reason)
    {
        LogRefused(reason);
        Current.Refusal = $"Not changed in Pipeline: {reason}";
        Current.Desired = NotionTaskView.Of(task);
        Current.DesiredVersion++;
        await SaveAsync();
        StartSending();
        return NotionReconcileOutcome.Refused;
    }

    private async Task EnsureViewAsync(TaskState task)
    {
        var view = NotionTaskView.Of(task);
        if (Current.Desired is { } desired && desired.Sequence >= view.Sequence && Pending)
        {
            return;
        }

        Current.Desired = view;
        Current.DesiredVersion++;
        await SaveAsync();
        StartSending();
    }

    private void StartSending()
    {
        if (_sending is not { IsCompleted: false })
        {
            _sending = SendLoopAsync();
        }
    }

    /// <summary>Writes the newest view until the page shows it; waits and tries again on a transient failure (a reminder keeps it going across restarts).</summary>
    private async Task SendLoopAsync()
    {
        while (true)
        {
            while (Pending && notion.Enabled)
            {
                var view = Current.Desired!;
                var version = Current.DesiredVersion;
                var config = (await GrainFactory.GetGrain<IChannelGrain>(view.ChannelId).GetConfig())?.Notion;
                if (config is null)
                {
                    LogNoDatabase(view.ChannelId);
                    Current.SentVersion = version;
                    await SaveAsync();
                    break;
                }

                try
                {
                    var values = NotionTaskColumns.Write(view, Current.Refusal ?? view.Error, config.Properties, Current.StatusIsSelect);
                    await notion.For(view.ChannelId, PageId).UpdatePagePropertiesAsync(PageId, values);
                    Current.SentVersion = Math.Max(Current.SentVersion, version);
                    Current.SentStatus = view.Status;
                    Current.Failures = 0;
                    Current.LastError = null;
                    await SaveAsync();
                }
                catch (NotionException e) when (e.IsTransient)
                {
                    Current.Failures++;
                    Current.LastError = e.Message;
                    await SaveAsync();
                    await this.RegisterOrUpdateReminder(SendReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
                    var wait = e.RetryAfter ?? TimeSpan.FromSeconds(Math.Min(options.LongestBackoff.TotalSeconds, Math.Pow(2, Current.Failures)));
                    LogSendFailed(Current.Failures, wait.TotalSeconds, e.Message);
                    await Task.Delay(wait, clock);
                }
                catch (NotionException e)
                {
                    // 400/401/403/404: sending the same again cannot help; the next change tries with what it has.
                    LogSendRefused(e.Code, e.Message);
                    Current.LastError = e.Message;
                    Current.SentVersion = version;
                    await SaveAsync();
                }
            }

            if (Current.Failures == 0)
            {
                await UnregisterReminderAsync();
            }

            // A view that came while the reminder was being removed is sent now, not at the next change.
            if (!Pending || !notion.Enabled)
            {
                return;
            }
        }
    }

    private async Task UnregisterReminderAsync()
    {
        if (await this.GetReminder(SendReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Stores the state; writes never overlap, and one write covers every change made before it began (a burst of events, one write).</summary>
    private Task SaveAsync() => (_writes ??= new(state, () => _live with { })).WriteAsync();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notion event {EventType}: our own edit coming back; nothing to read")]
    private partial void LogOwnEdit(string eventType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notion event {EventType} (delivery {Attempt}): reading the page again")]
    private partial void LogCued(string eventType, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notion page in database {DatabaseId}, which no channel names; ignored")]
    private partial void LogNotOurs(string databaseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the Notion page failed (attempt {Attempt}): {Reason}")]
    private partial void LogReadFailed(int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notion: a person moved the task {From} -> {To}")]
    private partial void LogMoved(WorkflowStatus from, WorkflowStatus to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notion: a task was made in {ChannelId} from its page ({Status})")]
    private partial void LogCreated(string channelId, WorkflowStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notion: a person's change was refused and the page set back: {Reason}")]
    private partial void LogRefused(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId} has no Notion database any more; the page is not written")]
    private partial void LogNoDatabase(string channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the Notion page failed ({Failures} in a row); trying again in {WaitSeconds} s: {Reason}")]
    private partial void LogSendFailed(int failures, double waitSeconds, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notion refused the page update ({Code}): {Reason}")]
    private partial void LogSendRefused(string code, string reason);
}
