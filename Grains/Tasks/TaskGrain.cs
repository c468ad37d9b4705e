using Microsoft.Extensions.Logging;
using Npgsql;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Notion;
using Pipeline.Grains.Abstractions.Plans;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Grains.Alerts;
using Pipeline.Grains.Steps;

namespace Pipeline.Grains.Tasks;

/// <summary>
/// One video's state machine. Every move is checked against <see cref="WorkflowDefinition"/>,
/// persisted with its history and read-model row in one transaction (<see cref="TaskStateStorage"/>), and followed
/// by what the new status asks for: start a step, wait for a person, schedule a retry, free a slot.
/// </summary>
public sealed partial class TaskGrain(
    [PersistentState("task", TaskStateStorage.Name)] IPersistentState<TaskState> state,
    TaskWriter writer,
    IStepExecutor executor,
    AlertPublisher alerts,
    TaskOptions options,
    TimeProvider clock,
    ILogger<TaskGrain> logger) : Grain, ITaskGrain, IRemindable
{
    private const string WatchdogReminder = "watchdog";
    private const string RetryReminder = "retry";

    // The reminders this activation registered, as the reminder service returned them: removing one with its
    // handle saves reading it back from the database first.
    private readonly Dictionary<string, IGrainReminder> _reminders = [];

    private TaskState Current => state.State;

    private bool Exists => state.RecordExists && Current.TaskId.Length > 0;

    private IChannelGrain Channel => GrainFactory.GetGrain<IChannelGrain>(Current.ChannelId);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!Exists)
        {
            return;
        }

        using var scope = BeginScope();
        // Whatever was written before a crash is replayed (idempotently), and a drifted row repaired.
        await SyncReadModelAsync();
        if (Current.AlertPending)
        {
            await RaiseAlertAsync();
        }

        // A task whose silo died mid-step, or mid-way through automatic moves, carries on here.
        await AdvanceAsync();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _run?.Cancellation.Cancel();
        return Task.CompletedTask;
    }

    public Task<TaskState> GetState() => Task.FromResult(Snapshot());

    public Task<SlotNeed> GetSlotNeed() => Task.FromResult(
        !Exists ? SlotNeed.None
        : Current.Status == WorkflowStatus.Queued ? SlotNeed.Waiting
        : HoldsSlot(Current) ? SlotNeed.Holding
        : SlotNeed.None);

    public async Task<TaskCommandResult> Create(NewTask request)
    {
        if (Exists)
        {
            return TaskCommandResult.Refused(Snapshot(), TaskErrorCodes.TaskExists, $"Task {this.GetPrimaryKeyString()} exists already.");
        }

        if (Validate(request) is { } invalid)
        {
            return TaskCommandResult.Refused(null, TaskErrorCodes.ValidationFailed, invalid);
        }

        var channel = await GrainFactory.GetGrain<IChannelGrain>(request.ChannelId).GetConfig();
        if (channel is not { Enabled: true })
        {
            return TaskCommandResult.Refused(null, TaskErrorCodes.ChannelNotFound,
                $"Channel '{request.ChannelId}' is not configured in channels.yaml.");
        }

        var now = Now();
        state.State = new TaskState
        {
            TaskId = this.GetPrimaryKeyString(),
            ChannelId = request.ChannelId,
            Title = request.Title.Trim(),
            Topic = request.Topic,
            StoryDirection = request.StoryDirection,
            Priority = request.Priority,
            PlanJson = request.PlanJson,
            NotionPageId = request.NotionPageId,
            Status = WorkflowStatus.Draft,
            CreatedAt = now,
            UpdatedAt = now,
            UnsyncedTransitions = [new TransitionRecord(0, null, WorkflowStatus.Draft, Actor.Human, null, "created", request.By, now)],
        };

        using var scope = BeginScope();
        if (request.Queue)
        {
            Apply(WorkflowStatus.Queued, Actor.Human, TransitionKind.Queue, null, request.By);
        }

        await PersistAsync();
        LogCreated(Current.Status);
        if (request.Queue)
        {
            await OnEnteredAsync(WorkflowStatus.Draft);
        }

        await AdvanceAsync();
        return new TaskCommandResult(Snapshot());
    }

    public Task<TaskCommandResult> Queue(HumanAction action) =>
        HumanMoveAsync(WorkflowStatus.Queued, action);

    public Task<TaskCommandResult> Approve(HumanAction action)
    {
        if (GateRefusal(action) is { } refused)
        {
            return Task.FromResult(refused);
        }

        var approval = WorkflowDefinition.ApprovalOf(Current.Status);
        return approval is null ? NotAtGate("approve") : HumanMoveAsync(approval.Value, action);
    }

    public Task<TaskCommandResult> Reject(HumanAction action)
    {
        if (GateRefusal(action) is { } refused)
        {
            return Task.FromResult(refused);
        }

        var target = WorkflowDefinition.RejectionTargetOf(Current.Status);
        return target is null ? NotAtGate("reject") : HumanMoveAsync(target.Value, action);
    }

    public async Task<TaskCommandResult> Retry(HumanAction action)
    {
        if (!Exists)
        {
            return NotFound();
        }

        if (WorkflowDefinition.Get(Current.Status).Kind != StatusKind.Error || Current.FailedStatus is not { } failed)
        {
            return TaskCommandResult.Refused(Snapshot(), TaskErrorCodes.InvalidTransition,
                $"Only a task in an error status can be retried; this one is {WorkflowDefinition.Get(Current.Status).NotionName}.");
        }

        return await HumanMoveAsync(failed, action);
    }

    public Task<TaskCommandResult> Cancel(HumanAction action) => HumanMoveAsync(WorkflowStatus.Draft, action);

    public async Task<TaskCommandResult> SetStatus(WorkflowStatus to, HumanAction action)
    {
        if (!Exists)
        {
            return NotFound();
        }

        if (to == Current.Status)
        {
            return new TaskCommandResult(Snapshot());
        }

        // An error status's way back is the step that failed, which the table alone cannot tell.
        if (WorkflowDefinition.Get(Current.Status).Kind == StatusKind.Error && to != WorkflowStatus.Draft && to != Current.FailedStatus)
        {
            return TaskCommandResult.Refused(Snapshot(), TaskErrorCodes.InvalidTransition,
                $"{WorkflowDefinition.Get(Current.Status).NotionName} can only go back to " +
                $"{WorkflowDefinition.Get(Current.FailedStatus ?? to).NotionName}, the step that failed, or to Draft.");
        }

        return await HumanMoveAsync(to, action);
    }

    public async Task SlotGranted(DateTime? queuedAt)
    {
        if (!Exists)
        {
            return;
        }

        using var scope = BeginScope();
        if (Current.Status == WorkflowStatus.Queued && queuedAt is { } at && at != Current.QueuedAt)
        {
            // Meant for an earlier place in line, given back when that place was cancelled.
            LogStaleGrant(at);
        }
        else if (Current.Status == WorkflowStatus.Queued)
        {
            await MoveAsync(WorkflowStatus.Claimed, Actor.System, "the channel has a free slot");
        }
        else if (!HoldsSlot(Current))
        {
            // Cancelled while the grant was on its way: give the slot back.
            await Channel.Release(Current.TaskId);
        }
    }

    public async Task StepFinished(StepResult result)
    {
        using var scope = BeginScope();
        if (_run is null || _run.RunId != result.RunId || Current.Status != result.Status)
        {
            LogStaleResult(result.Status, Current.Status);
            return;
        }

        _run = null;
        Current.CostUsd += result.CostUsd;
        foreach (var job in result.UnrecordedJobs ?? [])
        {
            if (!(Current.Jobs.TryGetValue(job.JobId, out var known) && known.FinishedAt == job.FinishedAt))
            {
                Current.Jobs[job.JobId] = job;
                Current.CostUsd += job.CostUsd;
            }
        }

        if (result.Succeeded)
        {
            Current.RetryCount = 0;
            Current.LastError = null;
            Current.LastErrorPermanent = false;
            Current.FailedStatus = null;
            Current.PendingRework = null;
            Current.YouTubeUrl = result.YouTubeUrl ?? Current.YouTubeUrl;
            Current.PlanJson = result.PlanJson ?? Current.PlanJson;
            Current.FinalVideo = result.FinalVideo ?? Current.FinalVideo;
            await MoveAsync(WorkflowDefinition.NextOnSuccess(result.Status)!.Value, Actor.System, null);
        }
        else
        {
            Current.LastError = result.Error ?? "the step failed";
            Current.LastErrorPermanent = result.Permanent;
            Current.FailedStatus = result.Status;
            // Decided before the move, so the error status and its retry plan are stored in one write.
            PlanRetry();
            ApplyStepAdvice(result);
            await MoveAsync(WorkflowDefinition.ErrorStatusOf(result.Status)!.Value, Actor.System, Current.LastError);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!Exists)
        {
            await UnregisterAsync(reminderName);
            return;
        }

        using var scope = BeginScope();
        switch (reminderName)
        {
            case RetryReminder:
                await UnregisterAsync(RetryReminder);
                await RetryAutomaticallyAsync();
                break;
            case WatchdogReminder when !HoldsSlot(Current) && Current.Status != WorkflowStatus.Queued:
                await UnregisterAsync(WatchdogReminder);
                break;
            case WatchdogReminder when Current.Status == WorkflowStatus.Queued:
                // Idempotent: repairs a place in line that a crash or a failed call lost. (Not done on
                // activation: the channel's own check activates tasks while it waits on them.)
                await SyncReadModelAsync();
                await EnqueueAsync();
                break;
            case WatchdogReminder:
                await SyncReadModelAsync();
                await AdvanceAsync();
                break;
        }
    }

    private async Task<TaskCommandResult> HumanMoveAsync(WorkflowStatus to, HumanAction action)
    {
        if (!Exists)
        {
            return NotFound();
        }

        using var scope = BeginScope();
        var check = WorkflowDefinition.Check(Current.Status, to, Actor.Human);
        if (!check.IsAllowed)
        {
            LogRefused(Current.Status, to, check.Reason);
            return TaskCommandResult.Refused(Snapshot(), TaskErrorCodes.InvalidTransition, check.Reason);
        }

        switch (check.Kind)
        {
            case TransitionKind.Reject:
                if (ReworkItemsRefusal(action.Items ?? []) is { } refusal)
                {
                    return TaskCommandResult.Refused(Snapshot(), TaskErrorCodes.ValidationFailed, refusal);
                }

                Current.PendingRework = new Rework(action.Notes ?? "", action.Items ?? [], Now());
                break;
            case TransitionKind.Retry:
                Current.RetryCount = 0;
                Current.NextRetryAt = null;
                await UnregisterAsync(RetryReminder);
                // A stuck error gave its slot back; a person restarting it takes one again.
                await Channel.Acquire(Current.TaskId);
                break;
        }

        await MoveAsync(to, Actor.Human, action.Notes, action.By);
        return new TaskCommandResult(Snapshot());
    }

    /// <summary>Makes one checked move, persists it, then does what the new status asks for.</summary>
    private async Task MoveAsync(WorkflowStatus to, Actor actor, string? reason, string? by = null)
    {
        var from = Current.Status;
        var check = WorkflowDefinition.Check(from, to, actor);
        if (!check.IsAllowed)
        {
            // The system only asks for moves the table has; reaching this is a bug, not bad input.
            throw new InvalidOperationException($"Task {Current.TaskId}: {check.Reason}");
        }

        if (_run is not null && _run.Status == from)
        {
            _run.Cancellation.Cancel();
            _run = null;
        }

        Apply(to, actor, check.Kind, reason, by);

        // A status the system leaves at once, with nothing to do on the way in (a pass-through, an approval, an
        // auto-approved gate), is stored together with the move out of it: one write for the whole hop. Should
        // the silo die before it, the task is where it was stored and makes the same moves again.
        if (!HasEntryEffects(from) && await HopAsync() is { } hop)
        {
            LogMoved(from, to, actor);
            await MoveAsync(hop.To, Actor.System, hop.Reason);
            return;
        }

        await PersistAsync();
        LogMoved(from, to, actor);
        await OnEnteredAsync(from);
        await AdvanceAsync();
    }

    /// <summary>The immediate move out of the current status, or none; when asking the channel fails, none, so the move is stored first and <see cref="AdvanceAsync"/> asks again.</summary>
    private async Task<(WorkflowStatus To, string? Reason)?> HopAsync()
    {
        try
        {
            return await ImmediateMoveAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    private void Apply(WorkflowStatus to, Actor actor, TransitionKind? kind, string? reason, string? by)
    {
        var now = Now();
        var from = Current.Status;
        Current.Status = to;
        Current.UpdatedAt = now;
        Current.Sequence++;
        // An error status's reason (its retry plan) is decided just before it is entered.
        if (WorkflowDefinition.Get(to).Kind != StatusKind.Error)
        {
            Current.StatusReason = null;
        }

        if (to == WorkflowStatus.Queued)
        {
            Current.QueuedAt = now;
        }

        // A cancel ends the rejection's errand: queued again, the task must not remake other steps' items with its notes.
        if (to == WorkflowStatus.Draft)
        {
            Current.PendingRework = null;
        }

        Current.UnsyncedTransitions.Add(new TransitionRecord(Current.Sequence, from, to, actor, kind, reason, by, now));
    }

    /// <summary>Whether <see cref="OnEnteredAsync"/> does anything for the current status, entered from <paramref name="from"/>.</summary>
    private bool HasEntryEffects(WorkflowStatus from) =>
        WorkflowDefinition.Get(Current.Status).Kind is StatusKind.Waiting or StatusKind.Idle or StatusKind.Done or StatusKind.Error
        || WorkflowDefinition.Get(from).Kind == StatusKind.Error;

    /// <summary>Side effects of having entered the current status, once per move (none unless <see cref="HasEntryEffects"/>).</summary>
    private async Task OnEnteredAsync(WorkflowStatus from)
    {
        var to = Current.Status;
        switch (WorkflowDefinition.Get(to).Kind)
        {
            case StatusKind.Waiting:
                // From queued on, the watchdog also covers an Enqueue that never reached the channel.
                await RegisterAsync(WatchdogReminder, options.WatchdogPeriod, options.WatchdogPeriod);
                await EnqueueAsync();
                break;
            case StatusKind.Idle or StatusKind.Done:
                // Each look-up is a database round trip: only ask for the reminders this task can have.
                if (Current.NextRetryAt is not null)
                {
                    Current.NextRetryAt = null;
                    await UnregisterAsync(RetryReminder);
                }

                if (WorkflowDefinition.IsActive(from))
                {
                    await UnregisterAsync(WatchdogReminder);
                }

                if (from != WorkflowStatus.Draft)
                {
                    await Channel.Release(Current.TaskId);
                }

                break;
            case StatusKind.Error:
                await OnFailedAsync();
                break;
            // Restarting after an error: a stuck error has let its watchdog go.
            case var _ when WorkflowDefinition.Get(from).Kind == StatusKind.Error:
                await RegisterAsync(WatchdogReminder, options.WatchdogPeriod, options.WatchdogPeriod);
                break;
        }
    }

    /// <summary>
    /// The system's own moves out of the current status: pass-throughs, approvals, auto-approved
    /// gates, and starting the step of a work status. Stops where a person or a step result is needed.
    /// </summary>
    private async Task AdvanceAsync()
    {
        if (await ImmediateMoveAsync() is { } move)
        {
            await MoveAsync(move.To, Actor.System, move.Reason);
            return;
        }

        switch (WorkflowDefinition.Get(Current.Status).Kind)
        {
            case StatusKind.Preparing or StatusKind.Work:
                StartStep();
                break;
            case StatusKind.Error when Current.NextRetryAt is { } due && due <= clock.GetUtcNow().UtcDateTime:
                // The retry reminder was lost or fired while the task was busy.
                await RetryAutomaticallyAsync();
                break;
        }
    }

    /// <summary>The move the system makes out of the current status at once, if any: a pass-through, an approval, an auto-approved gate.</summary>
    private async Task<(WorkflowStatus To, string? Reason)?> ImmediateMoveAsync()
    {
        var definition = WorkflowDefinition.Get(Current.Status);
        if (definition.Kind is StatusKind.PassThrough or StatusKind.Approval && definition.Next is { } next)
        {
            return (next, null);
        }

        if (definition.Kind == StatusKind.Gate && await AutoApprovesAsync(definition.Gate!.Value))
        {
            return (definition.Approval!.Value, "auto-approved (channels.yaml)");
        }

        return null;
    }

    private Task EnqueueAsync() => Channel.Enqueue(Current.TaskId, Current.Priority, Current.QueuedAt ?? Current.UpdatedAt);

    private async Task<bool> AutoApprovesAsync(ReviewGate gate) =>
        (await Channel.GetConfig())?.AutoApproves(gate) == true;

    /// <summary>Sets when the next automatic retry is due, or none when the failure is permanent or retries are used up.</summary>
    private void PlanRetry()
    {
        if (Current.LastErrorPermanent || Current.RetryCount >= options.RetrySchedule.Count)
        {
            Current.NextRetryAt = null;
            Current.AlertPending = true;
            Current.StatusReason = Current.LastErrorPermanent
                ? "permanent failure: waiting for a person to fix the input and retry"
                : "automatic retries used up: waiting for a person to retry";
            return;
        }

        var wait = options.RetrySchedule[Current.RetryCount];
        Current.NextRetryAt = Now() + wait;
        Current.StatusReason = $"automatic retry {Current.RetryCount + 1} of {options.RetrySchedule.Count} at {Current.NextRetryAt:O}";
    }

    private async Task OnFailedAsync()
    {
        if (Current.NextRetryAt is { } due)
        {
            // The reminder's period only matters if it fires while the task is busy; it is removed when it fires.
            // Should this registration be lost, the watchdog retries once the time has come.
            var wait = due - clock.GetUtcNow().UtcDateTime;
            await RegisterAsync(RetryReminder, wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
            LogRetryScheduled(Current.RetryCount + 1, wait);
            return;
        }

        await RaiseAlertAsync();
        await Channel.Release(Current.TaskId);
    }

    /// <summary>Tells a person about a failure only they can move on from, then stores that it was told.</summary>
    private async Task RaiseAlertAsync()
    {
        alerts.Raise(Current.LastErrorPermanent
            ? new Alert($"{Current.Title}: permanent failure in {StatusName(Current.FailedStatus)}",
                $"{Current.LastError}\nIt will not be retried automatically; fix the input and retry it.", Current.TaskId, Current.ChannelId)
            : new Alert($"{Current.Title}: {StatusName(Current.FailedStatus)} failed {Current.RetryCount + 1} times",
                $"{Current.LastError}\nAutomatic retries are used up; only a human retry moves it now.", Current.TaskId, Current.ChannelId));
        Current.AlertPending = false;
        await SaveStateAsync();
    }

    private async Task RetryAutomaticallyAsync()
    {
        if (WorkflowDefinition.Get(Current.Status).Kind != StatusKind.Error || Current.NextRetryAt is null || Current.FailedStatus is not { } failed)
        {
            return;
        }

        Current.RetryCount++;
        Current.NextRetryAt = null;
        await MoveAsync(failed, Actor.System, $"automatic retry {Current.RetryCount} of {options.RetrySchedule.Count}");
    }

    private async Task PersistAsync()
    {
        await SaveStateAsync();
        if (Current.NotionPageId is { } page)
        {
            // One-way: the page grain queues it; Notion being slow or down never holds the task up.
            await GrainFactory.GetGrain<INotionPageGrain>(page).Publish(NotionTaskView.Of(Current));
        }
    }

    private async Task SaveStateAsync()
    {
        try
        {
            // The task state storage writes the outbox and the read-model row in the same transaction.
            await state.WriteStateAsync();
            Current.UnsyncedTransitions.Clear();
        }
        catch
        {
            // The move was applied in memory but not stored: this activation no longer tells the
            // truth. Let it go; the next call reads the stored state again.
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// Repairs the read model: sends an outbox a state stored before <see cref="TaskStateStorage"/> may still
    /// carry, and rewrites a drifted row. A failure here fails nothing (the grain state is the truth); it is
    /// tried again at the next watchdog tick or activation.
    /// </summary>
    private async Task SyncReadModelAsync()
    {
        try
        {
            await writer.WriteAsync(Current, Current.UnsyncedTransitions);
            Current.UnsyncedTransitions.Clear();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogReadModelBehind(Current.UnsyncedTransitions.Count, e.Message);
        }
    }

    private Task<TaskCommandResult> NotAtGate(string verb) =>
        Task.FromResult(Exists
            ? TaskCommandResult.Refused(Snapshot(), TaskErrorCodes.InvalidTransition,
                $"Only a task at a review gate can be {verb}d; this one is {WorkflowDefinition.Get(Current.Status).NotionName}.")
            : NotFound());

    private TaskCommandResult? GateRefusal(HumanAction action)
    {
        if (!Exists)
        {
            return NotFound();
        }

        if (action.Gate is { } gate && WorkflowDefinition.GateOf(Current.Status) != gate)
        {
            return TaskCommandResult.Refused(Snapshot(), TaskErrorCodes.InvalidTransition,
                $"The task is not at the {gate.ToString().ToLowerInvariant()} gate; it is {WorkflowDefinition.Get(Current.Status).NotionName}.");
        }

        return null;
    }

    private TaskCommandResult NotFound() =>
        TaskCommandResult.Refused(null, TaskErrorCodes.TaskNotFound, $"No task has the id '{this.GetPrimaryKeyString()}'.");

    private static string? Validate(NewTask request)
    {
        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Trim().Length > 200)
        {
            return "title must be 1 to 200 characters.";
        }

        if (request.Priority is < -100 or > 100)
        {
            return "priority must be from -100 to 100.";
        }

        if (request.PlanJson is not null && PlanReader.Read(request.PlanJson) is { Plan: null } invalid)
        {
            return $"plan: {invalid.Describe()}";
        }

        return null;
    }

    /// <summary>
    /// The items a reviewer names must be things the rejected step makes: asset ids at the assets
    /// gate, scene ids at the video and audio gates. An unknown id would silently remake nothing.
    /// </summary>
    private string? ReworkItemsRefusal(IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return null;
        }

        var gate = WorkflowDefinition.GateOf(Current.Status);
        if (gate == ReviewGate.Final)
        {
            return "The final review remakes the whole assembly: name no items.";
        }

        if ((Current.PlanJson is { } json ? PlanReader.Read(json).Plan : null) is not { } plan)
        {
            return "The task has no plan whose items could be named.";
        }

        var (kind, known) = gate == ReviewGate.Assets
            ? ("asset", plan.Assets.Select(a => a.Id))
            : ("scene", plan.Scenes.Select(s => s.Id));
        var unknown = items.Except(known, StringComparer.Ordinal).ToList();
        return unknown.Count == 0
            ? null
            : $"Not {kind} ids of this task's plan: {string.Join(", ", unknown)}. Name {kind} ids, or none to remake them all.";
    }

    /// <summary>
    /// A copy of the state to hand out: a reply is serialized after the call returns, while the
    /// grain may already be changing its own lists for the next message.
    /// </summary>
    private TaskState Snapshot() => Current with
    {
        UnsyncedTransitions = [.. Current.UnsyncedTransitions],
        Jobs = new Dictionary<string, JobRecord>(Current.Jobs),
    };

    /// <summary>Tasks from queued-and-granted through uploading hold one of their channel's slots.</summary>
    private static bool HoldsSlot(TaskState task) =>
        WorkflowDefinition.IsActive(task.Status)
        && !(WorkflowDefinition.Get(task.Status).Kind == StatusKind.Error && task.NextRetryAt is null);

    private async Task RegisterAsync(string reminderName, TimeSpan dueTime, TimeSpan period) =>
        _reminders[reminderName] = await this.RegisterOrUpdateReminder(reminderName, dueTime, period);

    private async Task UnregisterAsync(string reminderName)
    {
        if (_reminders.Remove(reminderName, out var registered))
        {
            try
            {
                await this.UnregisterReminder(registered);
                return;
            }
            catch (ReminderException)
            {
                // Registered again since, by another activation of this task: read it back and remove that one.
            }
        }

        if (await this.GetReminder(reminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    // PostgreSQL keeps microseconds; state and read model agree only if the grain does too.
    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    private static string StatusName(WorkflowStatus? status) =>
        status is { } s ? WorkflowDefinition.Get(s).NotionName : "a step";

    private IDisposable? BeginScope() =>
        logger.BeginScope(new Dictionary<string, object> { ["TaskId"] = Current.TaskId, ["ChannelId"] = Current.ChannelId });

    [LoggerMessage(Level = LogLevel.Information, Message = "Task created in {Status}")]
    private partial void LogCreated(WorkflowStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task moved {From} -> {To} by {Actor}")]
    private partial void LogMoved(WorkflowStatus from, WorkflowStatus to, Actor actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {From} -> {To}: {Reason}")]
    private partial void LogRefused(WorkflowStatus from, WorkflowStatus to, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Automatic retry {Attempt} scheduled in {Wait}")]
    private partial void LogRetryScheduled(int attempt, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a slot granted for an earlier place in line (queued at {QueuedAt:O})")]
    private partial void LogStaleGrant(DateTime queuedAt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a result for {StepStatus}; the task is {Status}")]
    private partial void LogStaleResult(WorkflowStatus stepStatus, WorkflowStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Read model is {Pending} transition(s) behind: {Reason}")]
    private partial void LogReadModelBehind(int pending, string reason);
}
