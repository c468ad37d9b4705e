namespace Pipeline.Grains.Abstractions.Workflow;

/// <summary>What kind of place in the workflow a status is; decides who moves a task on from it.</summary>
[GenerateSerializer]
[Alias("Pipeline.StatusKind")]
public enum StatusKind
{
    /// <summary>Nothing happens until a human queues the task (draft).</summary>
    Idle = 1,

    /// <summary>Waiting for the channel to give the task a turn (queued).</summary>
    Waiting = 2,

    /// <summary>The workspace and plan are being prepared (claimed).</summary>
    Preparing = 3,

    /// <summary>A step's jobs are running; ends in its next status or its error status.</summary>
    Work = 4,

    /// <summary>A review gate: a human (or the channel's auto-approval) decides.</summary>
    Gate = 5,

    /// <summary>A gate was approved; the system starts the next step.</summary>
    Approval = 6,

    /// <summary>A step finished with no review; the system passes on at once.</summary>
    PassThrough = 7,

    /// <summary>Finished for good (published).</summary>
    Done = 8,

    /// <summary>A step failed; retried after a backoff or by a human.</summary>
    Error = 9,
}
