using Pipeline.ApiGateway.Tasks;
using Pipeline.ApiGateway.YouTube;
using Pipeline.Grains.Abstractions.Channels;

namespace Pipeline.ApiGateway.Channels;

// The answer shapes of the channels API.

/// <summary>A channel's tasks in the read model, by status code (workflow order; statuses with none are left out).</summary>
public sealed record TaskCounts(long Total, IReadOnlyDictionary<string, long> ByStatus)
{
    public static TaskCounts From(IReadOnlyDictionary<string, long>? counts)
    {
        var byStatus = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (status, count) in (counts ?? new Dictionary<string, long>()).OrderBy(c => StatusNames.Order(c.Key)).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            byStatus[status] = count;
        }

        return new TaskCounts(byStatus.Values.Sum(), byStatus);
    }
}

/// <summary>A channel in <c>GET /channels</c>: its configuration and live numbers.</summary>
/// <param name="QueuedCount">Tasks waiting for one of its slots (the channel grain's line).</param>
/// <param name="ActiveCount">Tasks holding one of its slots.</param>
/// <param name="Tasks">All its tasks by status (read model).</param>
public sealed record ChannelSummary(
    string Id,
    string Name,
    bool Enabled,
    int MaxConcurrentVideos,
    int Weight,
    IReadOnlyList<string> AutoApprove,
    bool KeepFiles,
    int QueuedCount,
    int ActiveCount,
    TaskCounts Tasks);

/// <summary><c>GET /channels</c>, in channels.yaml order.</summary>
public sealed record ChannelList(IReadOnlyList<ChannelSummary> Items);

/// <summary><c>GET /channels/{id}</c>: configuration, counts, and the tasks in its line and in its slots.</summary>
/// <param name="Queued">Waiting for a slot, in the order they will get one (priority, then oldest).</param>
/// <param name="Active">Holding a slot, longest-held first.</param>
/// <param name="Youtube">Its YouTube connection: connected, on hold (and why), or not connected (it publishes to the outbox).</param>
public sealed record ChannelDetails(
    string Id,
    string Name,
    bool Enabled,
    int MaxConcurrentVideos,
    int Weight,
    IReadOnlyList<string> AutoApprove,
    bool KeepFiles,
    TaskCounts Tasks,
    IReadOnlyList<QueuedTaskResponse> Queued,
    IReadOnlyList<ActiveTaskResponse> Active,
    YouTubeStatus? Youtube = null)
{
    public static ChannelDetails From(ChannelConfig config, ChannelState state, IReadOnlyDictionary<string, long> counts) => new(
        config.Id,
        config.Name,
        config.Enabled,
        config.MaxConcurrentVideos,
        config.Weight,
        ChannelsApi.AutoApproveNames(config),
        config.KeepFiles,
        TaskCounts.From(counts),
        [.. state.Queued
            .OrderByDescending(q => q.Value.Priority)
            .ThenBy(q => q.Value.QueuedAt)
            .ThenBy(q => q.Key, StringComparer.Ordinal)
            .Select(q => new QueuedTaskResponse(q.Key, q.Value.Priority, UtcTimes.Normalize(q.Value.QueuedAt)))],
        [.. state.Active
            .OrderBy(a => a.Value)
            .ThenBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => new ActiveTaskResponse(a.Key, UtcTimes.Normalize(a.Value)))],
        YouTubeStatus.From(config, state));
}

/// <summary>A task in a channel's line.</summary>
public sealed record QueuedTaskResponse(string TaskId, int Priority, DateTime QueuedAt);

/// <summary>A task holding one of a channel's slots, and since when.</summary>
public sealed record ActiveTaskResponse(string TaskId, DateTime Since);

/// <summary><c>POST /channels/reload</c> when the new channels.yaml is in force.</summary>
/// <param name="Applied">Always true here (a refusal is a 422 problem).</param>
/// <param name="Path">The file read.</param>
/// <param name="Channels">The enabled channel ids now configured.</param>
public sealed record ChannelsReloaded(bool Applied, string Path, IReadOnlyList<string> Channels);
