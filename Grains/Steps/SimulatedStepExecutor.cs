using Pipeline.Grains.Abstractions.Tasks;

namespace Pipeline.Grains.Steps;

/// <summary>
/// Completes every step at once without producing anything: it drives the workflow end to end
/// until the step runner (scripts, jobs, providers) takes its place, and it is the "instant
/// executor" of the workflow benchmark.
/// </summary>
public sealed class SimulatedStepExecutor : IStepExecutor
{
    public Task<StepResult> RunAsync(StepRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(request.Succeeded());
}
