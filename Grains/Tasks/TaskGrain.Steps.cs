using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Grains.Steps;

namespace Pipeline.Grains.Tasks;

/// <summary>Running a work status's step off the grain's turn, and hearing back from it.</summary>
public sealed partial class TaskGrain
{
    private StepRun? _run;

    /// <summary>The step running in this activation. Not persisted: after a crash, the step simply runs again.</summary>
    private sealed record StepRun(WorkflowStatus Status, Guid RunId, CancellationTokenSource Cancellation);

    private void StartStep()
    {
        if (_run is { } running && running.Status == Current.Status)
        {
            return;
        }

        _run?.Cancellation.Cancel();
        var run = new StepRun(Current.Status, Guid.NewGuid(), new CancellationTokenSource());
        _run = run;
        var request = new StepRequest(
            Current.TaskId, Current.ChannelId, run.Status, run.RunId, Current.RetryCount, Current.PlanJson, Current.PendingRework)
        {
            Title = Current.Title,
            Topic = Current.Topic,
            StoryDirection = Current.StoryDirection,
            Priority = Current.Priority,
            QueuedAt = Current.QueuedAt ?? Current.CreatedAt,
            Jobs = new Dictionary<string, JobRecord>(Current.Jobs),
            YouTubeUploadSession = Current.YouTubeUploadSession,
            YouTubeUploadSha256 = Current.YouTubeUploadSha256,
            YouTubeVideoId = Current.YouTubeVideoId,
            YouTubeUrl = Current.YouTubeUrl,
        };
        LogStepStarted(run.Status, Current.RetryCount);

        // The step may take minutes: it runs on the thread pool, and its result comes back as an
        // ordinary call to this grain, so it is handled in a turn of its own.
        var self = this.AsReference<ITaskGrain>();
        _ = Task.Run(() => RunStepAsync(executor, self, request, run.Cancellation.Token, logger));
    }

    private static async Task RunStepAsync(
        IStepExecutor executor, ITaskGrain self, StepRequest request, CancellationToken cancellationToken, ILogger logger)
    {
        StepResult result;
        try
        {
            result = await executor.RunAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            result = request.Failed($"{e.GetType().Name}: {e.Message}");
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        // The grain may be moving between silos just now; a few tries cover that. If they all fail,
        // the watchdog reminder runs the step again, so the result is not lost for good.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await self.StepFinished(result);
                return;
            }
            catch (Exception e) when (attempt < 5 && e is not OperationCanceledException)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not report the {Status} result of task {TaskId}; the watchdog will run it again",
                    request.Status, request.TaskId);
                return;
            }
        }
    }

    public async Task RecordJob(Guid runId, JobRecord record)
    {
        if (_run?.RunId != runId)
        {
            // Its step run was stopped (cancel, shutdown) or superseded; the output stays unrecorded.
            return;
        }

        using var scope = BeginScope();
        Current.Jobs[record.JobId] = record;
        Current.CostUsd += record.CostUsd;
        Current.UpdatedAt = Now();
        await PersistAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Step {Status} started (retry {RetryCount})")]
    private partial void LogStepStarted(WorkflowStatus status, int retryCount);
}
