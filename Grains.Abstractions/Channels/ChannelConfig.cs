using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Abstractions.Channels;

/// <summary>One channel as channels.yaml describes it.</summary>
/// <param name="Id">Stable id: lowercase letters, digits and dashes (it is used in paths).</param>
/// <param name="Name">Display name.</param>
/// <param name="MaxConcurrentVideos">How many of its videos may be in flight at once.</param>
/// <param name="Weight">Its share in the weighted turns between channels (≥ 1).</param>
/// <param name="AutoApprove">Review gates the system approves by itself for this channel.</param>
/// <param name="KeepFiles">Keep the workspace after a successful upload.</param>
/// <param name="ProviderCaps">The most slots of each provider this channel may hold at once, below the provider's own limit (channels.yaml <c>provider_caps</c>).</param>
/// <param name="Notion">The channel's Notion database, if its videos are planned in Notion.</param>
/// <param name="Enabled">False when the channel was removed from channels.yaml: it takes no new tasks.</param>
/// <param name="YouTube">The channel's <c>youtube:</c> section; null when it has none (the defaults apply).</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.ChannelConfig")]
public sealed record ChannelConfig(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] int MaxConcurrentVideos = 1,
    [property: Id(3)] int Weight = 1,
    [property: Id(4)] IReadOnlyList<ReviewGate>? AutoApprove = null,
    [property: Id(5)] bool KeepFiles = false,
    [property: Id(6)] bool Enabled = true,
    [property: Id(7)] IReadOnlyDictionary<string, int>? ProviderCaps = null,
    [property: Id(8)] ChannelYouTubeConfig? YouTube = null,
    [property: Id(9)] ChannelNotionConfig? Notion = null)
{
    /// <summary>Whether the system may pass this gate without a person.</summary>
    /// <param name="gate">The gate.</param>
    /// <returns>True when channels.yaml lists it under auto_approve.</returns>
    public bool AutoApproves(ReviewGate gate) => AutoApprove?.Contains(gate) == true;
}
