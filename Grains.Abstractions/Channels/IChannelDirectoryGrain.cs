using Orleans.Concurrency;

namespace Pipeline.Grains.Abstractions.Channels;

/// <summary>
/// The configuration in force (a single grain, key <see cref="Key"/>): reads channels.yaml, refuses an
/// invalid file with every error's position, and pushes each channel's settings to its channel grain.
/// </summary>
public interface IChannelDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The one key this grain is used with.</summary>
    const string Key = "channels";

    /// <summary>Reads channels.yaml again and applies it when valid; otherwise keeps the configuration in force.</summary>
    /// <returns>Applied, or the errors.</returns>
    Task<ChannelsReloadResult> Reload();

    /// <summary>The configuration in force.</summary>
    /// <returns>Channels (including disabled ones) and provider limits.</returns>
    [AlwaysInterleave]
    Task<ChannelsDocument> GetState();
}
