using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Grains.Steps;

namespace Pipeline.TestSilo;

/// <summary>The test executor: each run does what the task's <see cref="IStepScriptGrain"/> says.</summary>
public sealed class ScriptedStepExecutor(IGrainFactory grains) : IStepExecutor
{
    public async Task<StepResult> RunAsync(StepRequest request, CancellationToken cancellationToken)
    {
        var script = grains.GetGrain<IStepScriptGrain>(request.TaskId);
        switch (await script.Next(request.Status))
        {
            case StepBehaviour.FailTransient:
                return request.Failed($"scripted transient failure in {request.Status}", costUsd: 0.01m);
            case StepBehaviour.FailPermanent:
                return request.Failed($"scripted bad input in {request.Status}", permanent: true);
            case StepBehaviour.Hold:
                try
                {
                    while (await script.IsHeld(request.Status))
                    {
                        await Task.Delay(100, cancellationToken);
                    }
                }
                catch (OperationCanceledException)
                {
                    await script.RecordCancelled(request.Status);
                    throw;
                }

                break;
        }

        return request.Succeeded(costUsd: 0.01m, youTubeUrl: request.Status == WorkflowStatus.Uploading
            ? $"https://youtu.be/{request.TaskId}" : null);
    }
}
