namespace Pipeline.Grains.Abstractions.Workflow;

/// <summary>
/// The 26 statuses of a video task, numbered as in DESIGN.md §3.
/// </summary>
/// <remarks>
/// The numbers are persisted (grain state, the read model, history rows), so they must never be
/// renumbered or reused; add new statuses at the end. Read <see cref="WorkflowDefinition"/> for
/// each status's code, Notion option and place in the workflow.
/// </remarks>
[GenerateSerializer]
[Alias("Pipeline.WorkflowStatus")]
public enum WorkflowStatus
{
    /// <summary>Idle; a human sets it (and cancelling returns here).</summary>
    Draft = 1,

    /// <summary>Waiting for its channel's turn.</summary>
    Queued = 2,

    /// <summary>Workspace and plan being prepared.</summary>
    Claimed = 3,

    /// <summary>Work: generating the images.</summary>
    GeneratingAssets = 4,

    /// <summary>Review gate for the images.</summary>
    AssetsReady = 5,

    /// <summary>The images were approved.</summary>
    AssetsApproved = 6,

    /// <summary>Work: building the 16:9 composites.</summary>
    GeneratingComposites = 7,

    /// <summary>Passes on to video generation at once.</summary>
    CompositesReady = 8,

    /// <summary>Work: generating the video clips.</summary>
    GeneratingVideo = 9,

    /// <summary>Review gate for the clips.</summary>
    VideoReady = 10,

    /// <summary>The clips were approved.</summary>
    VideoApproved = 11,

    /// <summary>Work: generating the narration.</summary>
    GeneratingAudio = 12,

    /// <summary>Review gate for the narration.</summary>
    AudioReady = 13,

    /// <summary>The narration was approved.</summary>
    AudioApproved = 14,

    /// <summary>Work: generating the sound effects.</summary>
    GeneratingSfx = 15,

    /// <summary>Passes on to assembly at once.</summary>
    SfxReady = 16,

    /// <summary>Work: assembling the final video with ffmpeg.</summary>
    Assembling = 17,

    /// <summary>Passes on to the final review at once.</summary>
    AssemblyReady = 18,

    /// <summary>Review gate for the assembled video.</summary>
    FinalReview = 19,

    /// <summary>Approved for publishing; waits for a publish slot and YouTube quota.</summary>
    Approved = 20,

    /// <summary>Work: uploading to YouTube.</summary>
    Uploading = 21,

    /// <summary>Done; the YouTube URL is recorded.</summary>
    Published = 22,

    /// <summary>Plan preparation, images or composites failed.</summary>
    AssetError = 23,

    /// <summary>Clips or assembly failed.</summary>
    VideoError = 24,

    /// <summary>Narration or sound effects failed.</summary>
    AudioError = 25,

    /// <summary>The upload failed.</summary>
    UploadError = 26,
}
