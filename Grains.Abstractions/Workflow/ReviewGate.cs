namespace Pipeline.Grains.Abstractions.Workflow;

/// <summary>
/// The four review gates; the names match channels.yaml's <c>auto_approve: [assets, video, audio, final]</c>.
/// </summary>
[GenerateSerializer]
[Alias("Pipeline.ReviewGate")]
public enum ReviewGate
{
    /// <summary>The images (assets_ready).</summary>
    Assets = 1,

    /// <summary>The clips (video_ready).</summary>
    Video = 2,

    /// <summary>The narration (audio_ready).</summary>
    Audio = 3,

    /// <summary>The assembled video (final_review).</summary>
    Final = 4,
}
