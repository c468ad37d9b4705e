using Orleans.Concurrency;

namespace Pipeline.Grains.Abstractions.Channels;

/// <summary>
/// One channel (key: channel id): its configuration, and its slots — it starts its queued tasks
/// while fewer than <see cref="ChannelConfig.MaxConcurrentVideos"/> are in flight, highest
/// priority first, then oldest.
/// </summary>
public interface IChannelGrain : IGrainWithStringKey
{
    /// <summary>The persisted state (also what the Orleans Dashboard shows).</summary>
    /// <returns>The state.</returns>
    Task<ChannelState> GetState();

    /// <summary>The channel's configuration; null when channels.yaml never named it.</summary>
    /// <returns>The configuration.</returns>
    [AlwaysInterleave]
    Task<ChannelConfig?> GetConfig();

    /// <summary>A new configuration from channels.yaml; a higher limit starts waiting tasks at once.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>When applied.</returns>
    Task Configure(ChannelConfig config);

    /// <summary>A task entered queued: it waits for a slot.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="priority">Higher first.</param>
    /// <param name="queuedAt">Then oldest first.</param>
    /// <returns>When recorded.</returns>
    Task Enqueue(string taskId, int priority, DateTime queuedAt);

    /// <summary>A task left the line or its slot (published, cancelled, stuck in an error); the next one may start.</summary>
    /// <param name="taskId">The task.</param>
    /// <returns>When recorded.</returns>
    Task Release(string taskId);

    /// <summary>A person restarted a task (a human retry): it takes a slot even above the limit, because a person asked.</summary>
    /// <param name="taskId">The task.</param>
    /// <returns>When recorded.</returns>
    Task Acquire(string taskId);
}
