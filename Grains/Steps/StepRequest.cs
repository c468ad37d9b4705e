using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Steps;

/// <summary>One run of one step for one task: what to do, and which run it is.</summary>
public sealed record StepRequest(
    string TaskId,
    string ChannelId,
    WorkflowStatus Status,
    Guid RunId,
    int Attempt,
    string? PlanJson,
    Rework? Rework)
{
    public StepResult Succeeded(decimal costUsd = 0m, string? youTubeUrl = null) =>
        new(Status, RunId, true, CostUsd: costUsd, YouTubeUrl: youTubeUrl);

    public StepResult Failed(string error, bool permanent = false, decimal costUsd = 0m) =>
        new(Status, RunId, false, error, permanent, costUsd);
}
