namespace Pipeline.Grains.Abstractions.Channels;

/// <summary>What a channel grain persists: its configuration, its waiting line and the tasks holding its slots.</summary>
[GenerateSerializer]
[Alias("Pipeline.ChannelState")]
public sealed record ChannelState
{
    /// <summary>The configuration last pushed from channels.yaml; null until the first load.</summary>
    [Id(0)] public ChannelConfig? Config { get; set; }

    /// <summary>Tasks waiting for a slot, by task id.</summary>
    [Id(1)] public Dictionary<string, QueuedTask> Queued { get; set; } = [];

    /// <summary>Tasks holding a slot, by task id, with when it was granted.</summary>
    [Id(2)] public Dictionary<string, DateTime> Active { get; set; } = [];
}

/// <summary>A task waiting for its channel's turn.</summary>
/// <param name="Priority">Higher first.</param>
/// <param name="QueuedAt">Then oldest first.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.QueuedTask")]
public sealed record QueuedTask([property: Id(0)] int Priority, [property: Id(1)] DateTime QueuedAt);
