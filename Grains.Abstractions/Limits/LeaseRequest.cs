namespace Pipeline.Grains.Abstractions.Limits;

/// <summary>A request for one of a provider's slots.</summary>
/// <param name="RequestId">Stays the same across the calls of one wait, so the request keeps its place.</param>
/// <param name="ChannelId">The channel whose turn this counts against.</param>
/// <param name="TaskId">The task.</param>
/// <param name="JobId">The job within the task.</param>
/// <param name="Priority">Higher goes first within the channel.</param>
/// <param name="QueuedAt">When the wait began (UTC); older goes first at equal priority.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.LeaseRequest")]
public sealed record LeaseRequest(
    [property: Id(0)] Guid RequestId,
    [property: Id(1)] string ChannelId,
    [property: Id(2)] string TaskId,
    [property: Id(3)] string JobId,
    [property: Id(4)] int Priority,
    [property: Id(5)] DateTime QueuedAt);
