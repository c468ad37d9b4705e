using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.TestSilo;

/// <summary>In memory on purpose: a script only lives as long as the test that wrote it.</summary>
public sealed class StepScriptGrain : Grain, IStepScriptGrain
{
    private readonly Dictionary<WorkflowStatus, Queue<StepInstruction>> _script = [];
    private readonly Dictionary<WorkflowStatus, int> _runs = [];
    private readonly HashSet<WorkflowStatus> _held = [];
    private readonly Dictionary<WorkflowStatus, int> _cancellations = [];

    public Task Add(WorkflowStatus status, StepInstruction instruction)
    {
        if (!_script.TryGetValue(status, out var queue))
        {
            _script[status] = queue = new Queue<StepInstruction>();
        }

        queue.Enqueue(instruction);
        return Task.CompletedTask;
    }

    public Task<StepBehaviour> Next(WorkflowStatus status)
    {
        _runs[status] = _runs.GetValueOrDefault(status) + 1;
        if (!_script.TryGetValue(status, out var queue) || queue.Count == 0)
        {
            return Task.FromResult(StepBehaviour.Succeed);
        }

        var instruction = queue.Dequeue();
        if (instruction.Times > 1)
        {
            // Put the rest back at the front.
            var rest = new[] { instruction with { Times = instruction.Times - 1 } }.Concat(queue).ToList();
            queue.Clear();
            rest.ForEach(queue.Enqueue);
        }

        if (instruction.Behaviour == StepBehaviour.Hold)
        {
            _held.Add(status);
        }

        return Task.FromResult(instruction.Behaviour);
    }

    public Task<bool> IsHeld(WorkflowStatus status) => Task.FromResult(_held.Contains(status));

    public Task Release(WorkflowStatus status)
    {
        _held.Remove(status);
        return Task.CompletedTask;
    }

    public Task<int> Runs(WorkflowStatus status) => Task.FromResult(_runs.GetValueOrDefault(status));

    public Task RecordCancelled(WorkflowStatus status)
    {
        _cancellations[status] = _cancellations.GetValueOrDefault(status) + 1;
        return Task.CompletedTask;
    }

    public Task<int> Cancellations(WorkflowStatus status) => Task.FromResult(_cancellations.GetValueOrDefault(status));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Stay for the whole test even when idle between steps.
        DelayDeactivation(TimeSpan.FromHours(1));
        return Task.CompletedTask;
    }
}
