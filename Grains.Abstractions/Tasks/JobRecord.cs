using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Abstractions.Tasks;

/// <summary>
/// A finished job's output, as recorded in the task's state. A job whose output is still on disk
/// with this size and checksum, made from the same inputs, is not run again (after a crash, a retry
/// or a restart). Stored with the task: keep the type's name stable and only add members.
/// </summary>
/// <param name="JobId">The job, e.g. <c>assets/lion</c> or <c>videos/scene-02</c>.</param>
/// <param name="Step">The work status it belongs to.</param>
/// <param name="Output">The output file, relative to the task's workspace.</param>
/// <param name="SizeBytes">The output's size.</param>
/// <param name="Sha256">The output's SHA-256, lowercase hex.</param>
/// <param name="InputsHash">A hash of what the job was made from (script, arguments, input files).</param>
/// <param name="CostUsd">What the provider charged for it.</param>
/// <param name="FinishedAt">When it finished (UTC).</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.JobRecord")]
public sealed record JobRecord(
    [property: Id(0)] string JobId,
    [property: Id(1)] WorkflowStatus Step,
    [property: Id(2)] string Output,
    [property: Id(3)] long SizeBytes,
    [property: Id(4)] string Sha256,
    [property: Id(5)] string InputsHash,
    [property: Id(6)] decimal CostUsd,
    [property: Id(7)] DateTime FinishedAt);
