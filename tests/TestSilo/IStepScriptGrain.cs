using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.TestSilo;

/// <summary>
/// The script a test writes for one task's steps (key: the task id): what each run of a work
/// status does. Runs with nothing scripted succeed.
/// </summary>
public interface IStepScriptGrain : IGrainWithStringKey
{
    Task Add(WorkflowStatus status, StepInstruction instruction);

    /// <summary>Called by the executor at the start of a run: the behaviour for this run.</summary>
    Task<StepBehaviour> Next(WorkflowStatus status);

    Task<bool> IsHeld(WorkflowStatus status);

    Task Release(WorkflowStatus status);

    Task<int> Runs(WorkflowStatus status);

    /// <summary>Called by the executor when a held run is cancelled (the task was cancelled or moved on).</summary>
    Task RecordCancelled(WorkflowStatus status);

    Task<int> Cancellations(WorkflowStatus status);
}
