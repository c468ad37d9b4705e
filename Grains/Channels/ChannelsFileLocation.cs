namespace Pipeline.Grains.Channels;

/// <summary>Where channels.yaml is (PIPELINE_CHANNELS, default <c>channels.yaml</c> in the working directory).</summary>
public sealed record ChannelsFileLocation(string Path);
