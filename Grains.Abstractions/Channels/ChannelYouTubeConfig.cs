namespace Pipeline.Grains.Abstractions.Channels;

/// <summary>A channel's <c>youtube:</c> section in channels.yaml: how its videos are published once it has consented.</summary>
/// <param name="Project">The Google Cloud project whose quota its uploads spend: the limiter <c>youtube:&lt;project&gt;</c>.</param>
/// <param name="PublishSlots">When its videos go public, e.g. <c>daily 17:00 Europe/Paris</c>; null: as soon as uploaded.</param>
/// <param name="Privacy"><c>private</c>, <c>unlisted</c> or <c>public</c> (a scheduled video is uploaded private whatever this says).</param>
/// <param name="CategoryId">YouTube's category id (15: Pets &amp; Animals).</param>
/// <param name="MadeForKids">YouTube's <c>selfDeclaredMadeForKids</c>.</param>
/// <param name="UnitsPerUpload">Quota units one upload spends (Google has changed the price before).</param>
/// <param name="ChannelId">The YouTube channel's own id (UC…), for people; uploads go to whichever channel consented.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.ChannelYouTubeConfig")]
public sealed record ChannelYouTubeConfig(
    [property: Id(0)] string Project = ChannelYouTubeConfig.DefaultProject,
    [property: Id(1)] string? PublishSlots = null,
    [property: Id(2)] string Privacy = "private",
    [property: Id(3)] string CategoryId = "15",
    [property: Id(4)] bool MadeForKids = false,
    [property: Id(5)] int UnitsPerUpload = ChannelYouTubeConfig.DefaultUnitsPerUpload,
    [property: Id(6)] string? ChannelId = null)
{
    /// <summary>The project of a channel that names none.</summary>
    public const string DefaultProject = "default";

    /// <summary>What <c>videos.insert</c> cost for years; configurable because Google changes it.</summary>
    public const int DefaultUnitsPerUpload = 1600;

    /// <summary>What a channel without a <c>youtube:</c> section gets.</summary>
    public static ChannelYouTubeConfig Default { get; } = new();

    /// <summary>The limiter key of the channel's project.</summary>
    public string LimiterKey => $"youtube:{Project}";
}
