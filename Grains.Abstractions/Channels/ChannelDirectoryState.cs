namespace Pipeline.Grains.Abstractions.Channels;

/// <summary>What the channel directory persists: the configuration in force and where it came from.</summary>
[GenerateSerializer]
[Alias("Pipeline.ChannelDirectoryState")]
public sealed record ChannelDirectoryState
{
    /// <summary>The last valid channels.yaml, with channels that have since been removed kept as disabled.</summary>
    [Id(0)] public ChannelsDocument Document { get; set; } = new([], []);

    /// <summary>The file it was read from.</summary>
    [Id(1)] public string? Path { get; set; }

    /// <summary>When it was applied (UTC).</summary>
    [Id(2)] public DateTime? AppliedAt { get; set; }
}
