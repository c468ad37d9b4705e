using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Limits;
using Pipeline.Grains.Abstractions.Plans;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Grains.Limits;
using Pipeline.Grains.Publishing;
using Pipeline.Grains.Workspace;

namespace Pipeline.Grains.Steps;

/// <summary>
/// Does a step's work with the scripts in scripts/: the plan when the task is claimed, the jobs
/// of each work status in parallel under their providers' limits (a lease from the provider's
/// cluster-wide limiter when it is called for real; this machine's cores when it runs locally), and publishing. Each finished
/// job is recorded with the task at once, and a job whose recorded output is still there, made
/// from the same inputs, is not run again.
/// </summary>
public sealed partial class ScriptStepExecutor(
    JobRunner runner,
    ProviderGates gates,
    WorkspaceOptions workspaces,
    OutboxPublisher outbox,
    YouTubePublisher youTube,
    IGrainFactory grains,
    IConfiguration configuration,
    ILocalSiloDetails silo,
    TimeProvider clock,
    ILogger<ScriptStepExecutor> logger) : IStepExecutor
{
    /// <summary>Assembly is ffmpeg on this machine: minutes for a long video on a small one.</summary>
    public static readonly TimeSpan AssemblyTimeout = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How many times in a row a job may be sent back in line by "too many requests" before it counts as a
    /// failed attempt after all (a provider that never lets us in is a problem for the retry schedule and a person).
    /// </summary>
    public const int MaxRateLimitedRuns = 20;

    public async Task<StepResult> RunAsync(StepRequest request, CancellationToken cancellationToken)
    {
        var workspace = TaskWorkspace.For(workspaces, request.ChannelId, request.TaskId);
        workspace.Create();
        return request.Status switch
        {
            WorkflowStatus.Claimed => await PreparePlanAsync(request, workspace, cancellationToken),
            WorkflowStatus.Uploading => await PublishAsync(request, workspace, cancellationToken),
            _ => await RunJobsAsync(request, workspace, cancellationToken),
        };
    }

    /// <summary>Claimed: the plan given with the task, or one generated from its topic and story direction, checked and written to plan.json.</summary>
    private async Task<StepResult> PreparePlanAsync(StepRequest request, TaskWorkspace workspace, CancellationToken cancellationToken)
    {
        var generated = request.PlanJson is null;
        var cost = 0m;
        if (generated)
        {
            var job = new JobSpec("plan", null, Providers.Gemini, "generate_plan",
            [
                "--title", request.Title,
                .. request.Topic is { } topic ? ["--topic", topic] : Array.Empty<string>(),
                .. request.StoryDirection is { } direction ? ["--story-direction", direction] : Array.Empty<string>(),
                "--output", "plan.json",
            ], "plan.json", []);
            // Not recorded as a job: a plan is kept only once it has passed the check below.
            var result = await RunJobAsync(request, workspace, job, await ProviderLimitsAsync(), cancellationToken, record: false);
            cost = result.CostUsd;
            if (!result.Succeeded)
            {
                return request.Failed($"plan: {result.Error}", result.Kind == JobOutcomeKind.BadInput, cost);
            }
        }

        var json = generated ? await File.ReadAllTextAsync(workspace.PlanFile, cancellationToken) : request.PlanJson!;
        var read = PlanReader.Read(json);
        if (read.Plan is null)
        {
            // A plan given by a person needs a person; a generated one may come out right next time.
            File.Delete(workspace.PlanFile);
            return request.Failed($"plan.json is not a usable plan: {read.Describe()}", permanent: !generated, cost);
        }

        if (!generated)
        {
            await File.WriteAllTextAsync(workspace.PlanFile, json, cancellationToken);
        }

        return request.Succeeded(cost, planJson: generated ? json : null);
    }

    private async Task<StepResult> RunJobsAsync(StepRequest request, TaskWorkspace workspace, CancellationToken cancellationToken)
    {
        if (ReadPlan(request) is not { } plan)
        {
            return request.Failed("the task has no usable plan; cancel it and queue it again so one is prepared", permanent: true);
        }

        if (request.Status == WorkflowStatus.Assembling)
        {
            await File.WriteAllTextAsync(workspace.Resolve(StepPlanner.ManifestFile), StepPlanner.AssemblyManifest(plan), cancellationToken);
        }

        var jobs = StepPlanner.JobsFor(request.Status, plan);
        var limits = await ProviderLimitsAsync();
        var results = await Task.WhenAll(jobs.Select(job => RunJobAsync(request, workspace, job, limits, cancellationToken)));

        // Recorded jobs brought their cost to the task with their record. A record that could not be sent
        // comes with the result (the task adds it unless it has it already); failed jobs' costs come as the cost.
        var failed = results.Where(r => !r.Succeeded).ToList();
        var failedCost = failed.Sum(r => r.CostUsd);
        var unrecorded = results.Where(r => r is { Record: not null, Recorded: false }).Select(r => r.Record!).ToList();
        LogStepJobs(request.Status, jobs.Count, results.Count(r => r.Skipped), failed.Count);
        if (failed.Count == 0)
        {
            return request.Succeeded(
                finalVideo: request.Status == WorkflowStatus.Assembling ? workspace.Resolve(StepPlanner.FinalVideoFile) : null) with { UnrecordedJobs = unrecorded };
        }

        // Bad input needs a person whatever else happened; otherwise the first failure speaks for all.
        var worst = failed.FirstOrDefault(f => f.Kind == JobOutcomeKind.BadInput) ?? failed[0];
        var more = failed.Count > 1 ? $" ({failed.Count} of {jobs.Count} jobs failed)" : "";
        return request.Failed($"{worst.JobId}: {worst.Error}{more}", worst.Kind == JobOutcomeKind.BadInput, failedCost) with { UnrecordedJobs = unrecorded };
    }

    private async Task<JobResult> RunJobAsync(
        StepRequest request, TaskWorkspace workspace, JobSpec job, IReadOnlyList<ProviderLimit> limits, CancellationToken cancellationToken,
        bool record = true)
    {
        var real = Providers.KeyVariable(job.Provider) is { } key && !string.IsNullOrEmpty(configuration[key]);
        string inputsHash;
        try
        {
            inputsHash = await JobFingerprint.ComputeAsync(workspace, job, real, cancellationToken);
        }
        catch (FileNotFoundException e)
        {
            return JobResult.Failure(job, JobOutcomeKind.BadInput,
                $"its input {Path.GetRelativePath(workspace.Directory, e.FileName ?? "?")} is missing; cancel and queue the task again to remake it");
        }

        var rework = ReworkFor(request, job);
        if (rework is null && request.Jobs.TryGetValue(job.JobId, out var previous) && previous.InputsHash == inputsHash
            && await JobFingerprint.OutputMatchesAsync(workspace, previous, cancellationToken))
        {
            LogJobSkipped(job.JobId);
            return JobResult.Skip(job);
        }

        var limit = limits.FirstOrDefault(l => l.Provider == job.Provider);
        var timeout = limit?.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : AssemblyTimeout;

        var command = new JobCommand(job.Script, job.WithNotes(rework?.Notes), timeout) { WorkingDirectory = workspace.Directory };
        var outcome = await RunWithinLimitsAsync(request, job, command, real, cancellationToken);

        if (outcome.Kind != JobOutcomeKind.Succeeded)
        {
            return JobResult.Failure(job, outcome.Kind, outcome.Error ?? "failed", outcome.CostUsd);
        }

        var output = workspace.Resolve(job.Output);
        if (!File.Exists(output))
        {
            return JobResult.Failure(job, JobOutcomeKind.Failed, $"the script reported success but {job.Output} is not there", outcome.CostUsd);
        }

        if (!record)
        {
            return JobResult.Done(job, outcome.CostUsd, null, recorded: false);
        }

        var done = new JobRecord(job.JobId, request.Status, job.Output, new FileInfo(output).Length,
            await FileHashes.Sha256Async(output, cancellationToken), inputsHash, outcome.CostUsd, clock.GetUtcNow().UtcDateTime);
        try
        {
            await grains.GetGrain<ITaskGrain>(request.TaskId).RecordJob(request.RunId, done);
            return JobResult.Done(job, outcome.CostUsd, done, recorded: true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // It may have arrived all the same: the record goes again with the step's result.
            LogRecordFailed(job.JobId, e.Message);
            return JobResult.Done(job, outcome.CostUsd, done, recorded: false);
        }
    }

    /// <summary>
    /// A provider called for real: a slot of its cluster-wide limit, renewed while the script runs and
    /// given back however it ends. A provider that answers "too many requests, retry after N s" makes the
    /// whole cluster wait N s, and the job goes back in line with its place (not a failed attempt). Without
    /// a key the script makes its media here: what bounds it is this machine's cores.
    /// </summary>
    private async Task<JobOutcome> RunWithinLimitsAsync(StepRequest request, JobSpec job, JobCommand command, bool real, CancellationToken cancellationToken)
    {
        var context = new JobContext(request.TaskId, request.ChannelId, job.JobId);
        if (!real)
        {
            using (await gates.EnterAsync(Providers.Local, Environment.ProcessorCount, cancellationToken))
            {
                return await runner.RunAsync(command, context, cancellationToken);
            }
        }

        // The video's age, not the job's: within a channel the older video's jobs go first, so videos finish rather than all start.
        var queuedAt = request.QueuedAt;
        for (var rateLimited = 0; ; rateLimited++)
        {
            var place = new LeaseRequest(Guid.NewGuid(), request.ChannelId, request.TaskId, job.JobId, request.Priority, queuedAt,
                Silo: silo.SiloAddress.ToParsableString());
            await using var lease = await ProviderLease.AcquireAsync(grains, job.Provider, place, clock, logger, cancellationToken);
            var outcome = await runner.RunAsync(command, context, cancellationToken);
            if (outcome is not { Kind: JobOutcomeKind.Transient, RetryAfter: { } retryAfter } || rateLimited >= MaxRateLimitedRuns)
            {
                return outcome;
            }

            LogRateLimited(job.Provider, job.JobId, retryAfter.TotalSeconds, outcome.Error ?? "");
            await lease.BackOffAsync(retryAfter, outcome.Error ?? "rate limited");
        }
    }

    /// <summary>
    /// Uploading: to YouTube when the channel has consented (<see cref="YouTubePublisher"/>), else the video and its
    /// metadata go to the local outbox. Then the workspace goes, unless the channel keeps its files.
    /// </summary>
    private async Task<StepResult> PublishAsync(StepRequest request, TaskWorkspace workspace, CancellationToken cancellationToken)
    {
        var channel = await grains.GetGrain<IChannelGrain>(request.ChannelId).GetConfig();
        if (request.YouTubeVideoId is not null)
        {
            // Uploaded and recorded by an earlier run that did not live to report it: never again.
            RemoveWorkspace(channel, workspace);
            return request.Succeeded(youTubeUrl: request.YouTubeUrl);
        }

        var video = workspace.Resolve(StepPlanner.FinalVideoFile);
        if (!File.Exists(video) && outbox.Find(request.ChannelId, request.TaskId) is { } publishedBefore)
        {
            // Published, then the files were removed, then the silo died before the result was recorded.
            return request.Succeeded(finalVideo: publishedBefore);
        }

        if (!File.Exists(video))
        {
            return request.Failed($"{StepPlanner.FinalVideoFile} is not in the workspace; cancel and queue the task again to remake it", permanent: true);
        }

        if (await youTube.PublishAsync(request, channel, ReadPlan(request), video, cancellationToken) is { } uploaded)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (uploaded.Succeeded)
            {
                RemoveWorkspace(channel, workspace);
            }

            return uploaded;
        }

        var published = await outbox.PublishAsync(request, ReadPlan(request), video, cancellationToken);
        // A cancel that came meanwhile keeps the files (the result is dropped and the task is in draft).
        cancellationToken.ThrowIfCancellationRequested();
        RemoveWorkspace(channel, workspace);
        return request.Succeeded(finalVideo: published);
    }

    private static void RemoveWorkspace(ChannelConfig? channel, TaskWorkspace workspace)
    {
        if (channel?.KeepFiles != true)
        {
            workspace.Delete();
        }
    }

    /// <summary>The rejection this job answers: it runs again even if its output is there, unless it was made since.</summary>
    private static Rework? ReworkFor(StepRequest request, JobSpec job) =>
        request.Rework is { } rework
        && (rework.Items.Count == 0 || (job.Item is not null && rework.Items.Contains(job.Item)))
        && !(request.Jobs.TryGetValue(job.JobId, out var done) && done.FinishedAt > rework.RequestedAt)
            ? rework
            : null;

    private static Plan? ReadPlan(StepRequest request) =>
        request.PlanJson is { } json ? PlanReader.Read(json).Plan : null;

    private async Task<IReadOnlyList<ProviderLimit>> ProviderLimitsAsync() =>
        (await grains.GetGrain<IChannelDirectoryGrain>(IChannelDirectoryGrain.Key).GetState()).Providers;

    [LoggerMessage(Level = LogLevel.Information, Message = "Step {Status}: {Jobs} jobs, {Skipped} already done, {Failed} failed")]
    private partial void LogStepJobs(WorkflowStatus status, int jobs, int skipped, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} rate-limited job {JobId}: the cluster waits {RetryAfterSeconds} s, then the job runs again ({Reason})")]
    private partial void LogRateLimited(string provider, string jobId, double retryAfterSeconds, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} is done already; its output is unchanged")]
    private partial void LogJobSkipped(string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} finished but could not be recorded: {Reason}")]
    private partial void LogRecordFailed(string jobId, string reason);

    /// <param name="CostUsd">What the job spent; for a successful job with a record, the record carries it.</param>
    private sealed record JobResult(string JobId, JobOutcomeKind Kind, string? Error, decimal CostUsd, bool Skipped, JobRecord? Record, bool Recorded)
    {
        public bool Succeeded => Kind == JobOutcomeKind.Succeeded;

        public static JobResult Skip(JobSpec job) => new(job.JobId, JobOutcomeKind.Succeeded, null, 0m, true, null, true);

        public static JobResult Done(JobSpec job, decimal cost, JobRecord? record, bool recorded) =>
            new(job.JobId, JobOutcomeKind.Succeeded, null, cost, false, record, recorded);

        public static JobResult Failure(JobSpec job, JobOutcomeKind kind, string error, decimal cost = 0m) =>
            new(job.JobId, kind, error, cost, false, null, false);
    }
}
