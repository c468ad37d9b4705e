using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Abstractions.Tasks;

/// <summary>How a step run ended.</summary>
/// <param name="Status">The work status the step ran for.</param>
/// <param name="RunId">Which run: a result from a run that was cancelled or superseded is ignored.</param>
/// <param name="Succeeded">Whether all its jobs are done.</param>
/// <param name="Error">Why it failed, for people.</param>
/// <param name="Permanent">The failure is bad input: do not retry automatically.</param>
/// <param name="CostUsd">What the run spent.</param>
/// <param name="YouTubeUrl">For the upload step: where the video is now.</param>
/// <param name="PlanJson">For the preparing step: the plan it generated.</param>
/// <param name="FinalVideo">For the assembly and upload steps: where the finished video is.</param>
/// <param name="UnrecordedJobs">Finished jobs whose own record may not have reached the task; added unless it has them.</param>
/// <param name="RetryAt">For a failure: when to retry, instead of the retry schedule (e.g. after a quota's reset).</param>
/// <param name="Reason">For a failure: the status reason to show instead of the retry plan (e.g. the channel's uploads are on hold).</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.StepResult")]
public sealed record StepResult(
    [property: Id(0)] WorkflowStatus Status,
    [property: Id(1)] Guid RunId,
    [property: Id(2)] bool Succeeded,
    [property: Id(3)] string? Error = null,
    [property: Id(4)] bool Permanent = false,
    [property: Id(5)] decimal CostUsd = 0m,
    [property: Id(6)] string? YouTubeUrl = null,
    [property: Id(7)] string? PlanJson = null,
    [property: Id(8)] string? FinalVideo = null,
    [property: Id(9)] IReadOnlyList<JobRecord>? UnrecordedJobs = null,
    [property: Id(30)] DateTime? RetryAt = null,
    [property: Id(31)] string? Reason = null);
