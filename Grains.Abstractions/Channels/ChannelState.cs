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

    /// <summary>The YouTube refresh token, encrypted (TokenCipher, bound to this channel); null when not connected.</summary>
    [Id(30)] public string? YouTubeToken { get; set; }

    /// <summary>When the last consent was stored (UTC).</summary>
    [Id(31)] public DateTime? YouTubeConnectedAt { get; set; }

    /// <summary>Why uploads are on hold (Google refused the token); null when they are not.</summary>
    [Id(32)] public string? YouTubeHoldReason { get; set; }

    /// <summary>Since when uploads are on hold (UTC).</summary>
    [Id(33)] public DateTime? YouTubeHeldAt { get; set; }

    /// <summary>Tasks whose upload failed because of the hold: a new consent retries them.</summary>
    [Id(34)] public HashSet<string> YouTubeHeldTasks { get; set; } = [];

    /// <summary>The publish slots given to this channel's videos (UTC), by task id, so each video gets its own.</summary>
    [Id(35)] public Dictionary<string, DateTime> PublishSlots { get; set; } = [];
}

/// <summary>A task waiting for its channel's turn.</summary>
/// <param name="Priority">Higher first.</param>
/// <param name="QueuedAt">Then oldest first.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.QueuedTask")]
public sealed record QueuedTask([property: Id(0)] int Priority, [property: Id(1)] DateTime QueuedAt);
