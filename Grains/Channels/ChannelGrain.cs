using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Grains.Storage;

namespace Pipeline.Grains.Channels;

/// <summary>
/// A channel's slots: starts queued tasks while fewer than max_concurrent_videos are in flight,
/// highest priority first, then oldest. It never waits on a task (grants are one-way), so a task
/// calling in while the channel grants cannot deadlock; a periodic check repairs anything a lost
/// message or a crash left behind.
/// </summary>
/// <remarks>
/// Reentrant, so the calls of many tasks share a write: a call changes the state before its first await and then
/// waits for a write that began after its change (<see cref="GroupCommit{TState}"/>). Queueing 500 tasks on a
/// channel costs a few writes, not 500. No call relies on the state staying as it was across an await.
/// </remarks>
[Reentrant]
public sealed partial class ChannelGrain(
    [PersistentState("channel")] IPersistentState<ChannelState> state,
    TimeProvider clock,
    ILogger<ChannelGrain> logger) : Grain, IChannelGrain, IRemindable
{
    private const string CheckReminder = "check";
    private static readonly TimeSpan CheckPeriod = TimeSpan.FromMinutes(1);

    // A grant can be in flight for a moment; only one that has gone unanswered this long is sent again.
    private static readonly TimeSpan GrantGrace = TimeSpan.FromSeconds(30);

    // Waiting line in turn order, mirroring State.Queued (which is what is persisted).
    private readonly SortedSet<(int NegativePriority, DateTime QueuedAt, string TaskId)> _line = [];

    private GroupCommit<ChannelState>? _writes;

    // The live state; what is written is a copy of it (see SaveAsync).
    private ChannelState Current { get; set; } = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Current = state.State;
        foreach (var (taskId, queued) in Current.Queued)
        {
            _line.Add(Key(taskId, queued));
        }

        return Task.CompletedTask;
    }

    // The YouTube token stays in the grain, even encrypted: whoever reads the state needs only whether there is one.
    public Task<ChannelState> GetState() => Task.FromResult(Copy() with { YouTubeToken = null });

    public Task<ChannelConfig?> GetConfig() => Task.FromResult(Current.Config);

    public async Task Configure(ChannelConfig config)
    {
        if (Current.Config == config)
        {
            return;
        }

        Current.Config = config;
        await SaveAsync();
        await this.RegisterOrUpdateReminder(CheckReminder, CheckPeriod, CheckPeriod);
        await GrantAsync();
    }

    public async Task Enqueue(string taskId, int priority, DateTime queuedAt)
    {
        if (Current.Active.ContainsKey(taskId) || Current.Queued.ContainsKey(taskId))
        {
            return;
        }

        var queued = new QueuedTask(priority, queuedAt);
        Current.Queued[taskId] = queued;
        _line.Add(Key(taskId, queued));
        if (!await GrantAsync())
        {
            await SaveAsync();
        }
    }

    public async Task Release(string taskId)
    {
        var wasActive = Current.Active.Remove(taskId);
        var wasQueued = RemoveFromLine(taskId);
        if ((wasActive || wasQueued) && !await GrantAsync())
        {
            await SaveAsync();
        }
    }

    public async Task Acquire(string taskId)
    {
        RemoveFromLine(taskId);
        Current.Active[taskId] = clock.GetUtcNow().UtcDateTime;
        await SaveAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CheckReminder)
        {
            return;
        }

        var changed = false;
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (taskId, grantedAt) in Current.Active.ToList())
        {
            switch (await TaskOf(taskId).GetSlotNeed())
            {
                case SlotNeed.Waiting when now - grantedAt > GrantGrace:
                    LogRegrant(taskId);
                    await TaskOf(taskId).SlotGranted(null);
                    break;
                // Unless the task took a new slot while it was being asked (calls interleave at awaits).
                case SlotNeed.None when Current.Active.TryGetValue(taskId, out var stillAt) && stillAt == grantedAt:
                    changed |= Current.Active.Remove(taskId);
                    break;
            }
        }

        foreach (var (taskId, queued) in Current.Queued.ToList())
        {
            // Unless it was queued again while it was being asked.
            if (await TaskOf(taskId).GetSlotNeed() != SlotNeed.Waiting
                && Current.Queued.TryGetValue(taskId, out var still) && still == queued)
            {
                changed |= RemoveFromLine(taskId);
            }
        }

        if (!await GrantAsync() && changed)
        {
            await SaveAsync();
        }
    }

    /// <summary>Hands free slots to the first tasks in line. Returns whether it saved the state.</summary>
    private async Task<bool> GrantAsync()
    {
        var limit = Current.Config is { Enabled: true } config ? config.MaxConcurrentVideos : 0;
        var granted = new List<(string TaskId, DateTime QueuedAt)>();
        var now = clock.GetUtcNow().UtcDateTime;
        while (Current.Active.Count < limit && _line.Count > 0)
        {
            var first = _line.Min;
            _line.Remove(first);
            Current.Queued.Remove(first.TaskId);
            Current.Active[first.TaskId] = now;
            granted.Add((first.TaskId, first.QueuedAt));
        }

        if (granted.Count == 0)
        {
            return false;
        }

        // Saved before the grants go out: a crash in between leaves a slot held by a queued task,
        // which the periodic check grants again.
        await SaveAsync();
        foreach (var (taskId, queuedAt) in granted)
        {
            await TaskOf(taskId).SlotGranted(queuedAt);
        }

        LogGranted(granted.Count, Current.Active.Count, limit);
        return true;
    }

    private async Task SaveAsync()
    {
        try
        {
            await (_writes ??= new(state, Copy)).WriteAsync();
        }
        catch
        {
            // What changed in memory was not stored: let this activation go and read the truth again.
            DeactivateOnIdle();
            throw;
        }
    }

    // A copy, for a reply or a write: both are serialized later, while the grain may be changing its dictionaries.
    private ChannelState Copy() => Current with
    {
        Queued = new(Current.Queued),
        Active = new(Current.Active),
        YouTubeHeldTasks = [.. Current.YouTubeHeldTasks],
        PublishSlots = new(Current.PublishSlots),
    };

    private bool RemoveFromLine(string taskId)
    {
        if (!Current.Queued.Remove(taskId, out var queued))
        {
            return false;
        }

        _line.Remove(Key(taskId, queued));
        return true;
    }

    private ITaskGrain TaskOf(string taskId) => GrainFactory.GetGrain<ITaskGrain>(taskId);

    private static (int, DateTime, string) Key(string taskId, QueuedTask queued) => (-queued.Priority, queued.QueuedAt, taskId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Granted {Granted} slot(s); {Active} of {Limit} in use")]
    private partial void LogGranted(int granted, int active, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TaskId} did not take its slot; granting again")]
    private partial void LogRegrant(string taskId);
}
