using Pipeline.Grains.Abstractions.Tasks;

namespace Pipeline.Grains.Steps;

/// <summary>
/// Does the work of one work status for one task (all its jobs) and says how it went.
/// The task grain calls it off its own turn, so it may take minutes; it must stop promptly
/// when the token is cancelled (a cancel, a rejection, a shutdown).
/// </summary>
public interface IStepExecutor
{
    Task<StepResult> RunAsync(StepRequest request, CancellationToken cancellationToken);
}
