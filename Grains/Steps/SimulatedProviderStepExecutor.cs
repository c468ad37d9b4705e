using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Limits;
using Pipeline.Grains.Abstractions.Plans;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Grains.Limits;

namespace Pipeline.Grains.Steps;

/// <summary>
/// Runs each step's jobs as simulated provider calls (PIPELINE_STEP_EXECUTOR=simulated): the same jobs
/// <see cref="ScriptStepExecutor"/> plans, each taking a real lease from its provider's cluster-wide limiter,
/// then waiting the provider's configured latency instead of running a script, then giving the slot back.
/// Nothing is made on disk and no job is recorded with the task; what it measures is the limiter and the
/// workflow around it (benchmarks/providers.sh). Every call goes to <see cref="ProviderCallLog"/>.
/// </summary>
public sealed partial class SimulatedProviderStepExecutor(
    IGrainFactory grains,
    ProviderGates gates,
    SimulatedLatencies latencies,
    ProviderCallLog calls,
    ILocalSiloDetails silo,
    TimeProvider clock,
    ILogger<SimulatedProviderStepExecutor> logger) : IStepExecutor
{
    public async Task<StepResult> RunAsync(StepRequest request, CancellationToken cancellationToken)
    {
        var plan = request.PlanJson is { } json ? PlanReader.Read(json).Plan : null;
        switch (request.Status)
        {
            case WorkflowStatus.Claimed:
                // Generating a plan is a script's work; the simulation needs one given with the task.
                return plan is null
                    ? request.Failed("the simulated executor needs a usable plan given with the task", permanent: true)
                    : request.Succeeded();
            case WorkflowStatus.Uploading:
                return request.Succeeded();
        }

        if (plan is null)
        {
            return request.Failed("the task has no usable plan", permanent: true);
        }

        var jobs = StepPlanner.JobsFor(request.Status, plan);
        await Task.WhenAll(jobs.Select(job => CallAsync(request, job, cancellationToken)));
        LogStepSimulated(request.Status, jobs.Count);
        return request.Succeeded();
    }

    private async Task CallAsync(StepRequest request, JobSpec job, CancellationToken cancellationToken)
    {
        var latency = latencies.Of(job.Provider);
        var siloName = silo.SiloAddress.ToParsableString();
        var requestedAt = Now;
        if (Providers.KeyVariable(job.Provider) is null)
        {
            // Local work is bounded by this machine's cores, as ScriptStepExecutor bounds it.
            using (await gates.EnterAsync(Providers.Local, Environment.ProcessorCount, cancellationToken))
            {
                var started = Now;
                await Task.Delay(latency, clock, cancellationToken);
                var ended = Now;
                calls.Add(new ProviderCallRecord(job.Provider, request.ChannelId, request.TaskId, job.JobId, siloName,
                    requestedAt, started, started, ended, ended));
            }

            return;
        }

        // The request as ScriptStepExecutor.RunWithinLimitsAsync builds it: the task's priority, the video's age, this silo.
        var place = new LeaseRequest(Guid.NewGuid(), request.ChannelId, request.TaskId, job.JobId, request.Priority, request.QueuedAt, Silo: siloName);
        var lease = await ProviderLease.AcquireAsync(grains, job.Provider, place, clock, logger, cancellationToken);
        var grantedAt = Now;
        DateTime startedAt, endedAt;
        try
        {
            startedAt = Now;
            await Task.Delay(latency, clock, cancellationToken);
            endedAt = Now;
        }
        finally
        {
            await lease.DisposeAsync();
        }

        calls.Add(new ProviderCallRecord(job.Provider, request.ChannelId, request.TaskId, job.JobId, siloName,
            requestedAt, grantedAt, startedAt, endedAt, Now));
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Step {Status}: {Jobs} simulated calls done")]
    private partial void LogStepSimulated(WorkflowStatus status, int jobs);
}
