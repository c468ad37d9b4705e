namespace Pipeline.Grains.Abstractions.Workflow;

/// <summary>Why a transition happens.</summary>
[GenerateSerializer]
[Alias("Pipeline.TransitionKind")]
public enum TransitionKind
{
    /// <summary>A human puts a draft in its channel's queue.</summary>
    Queue = 1,

    /// <summary>The channel gives a queued task a turn.</summary>
    Claim = 2,

    /// <summary>The system starts a step (after preparation or an approval).</summary>
    Start = 3,

    /// <summary>A step's jobs all finished.</summary>
    Complete = 4,

    /// <summary>A step failed.</summary>
    Fail = 5,

    /// <summary>A gate is approved, by a human or by the channel's auto-approval.</summary>
    Approve = 6,

    /// <summary>A human rejects a gate: the step runs again.</summary>
    Reject = 7,

    /// <summary>A status with no review passes on at once.</summary>
    PassOn = 8,

    /// <summary>An approved video starts uploading once a publish slot and quota allow.</summary>
    Publish = 9,

    /// <summary>A failed step runs again, after a backoff or at a human's request.</summary>
    Retry = 10,

    /// <summary>A human sends the task back to draft; running jobs stop, files are kept.</summary>
    Cancel = 11,
}
