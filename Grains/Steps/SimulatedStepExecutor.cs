using Pipeline.Grains.Abstractions.Tasks;

namespace Pipeline.Grains.Steps;

/// <summary>
/// Completes every step at once without producing anything: the "instant executor" that the
/// workflow benchmark measures the state machine with (PIPELINE_STEP_EXECUTOR=instant).
/// </summary>
public sealed class SimulatedStepExecutor : IStepExecutor
{
    public Task<StepResult> RunAsync(StepRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(request.Succeeded());
}
