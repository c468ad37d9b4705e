namespace Pipeline.Grains.Abstractions.Limits;

/// <summary>A request for one of a provider's slots (and, where the provider has them, a request token and daily quota).</summary>
/// <param name="RequestId">Stays the same across the calls of one wait, so the request keeps its place.</param>
/// <param name="ChannelId">The channel whose turn this counts against.</param>
/// <param name="TaskId">The task.</param>
/// <param name="JobId">The job within the task.</param>
/// <param name="Priority">Higher goes first within the channel.</param>
/// <param name="QueuedAt">When the wait began (UTC); older goes first at equal priority.</param>
/// <param name="Units">Daily quota units the call spends (e.g. about 1,600 for a YouTube upload); 0 spends none.</param>
/// <param name="Uploads">Daily uploads the call spends (YouTube); 0 spends none.</param>
/// <param name="Silo">The silo the job runs on (its address, parsable form): when the cluster declares it dead, its slots come back at once.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.LeaseRequest")]
public sealed record LeaseRequest(
    [property: Id(0)] Guid RequestId,
    [property: Id(1)] string ChannelId,
    [property: Id(2)] string TaskId,
    [property: Id(3)] string JobId,
    [property: Id(4)] int Priority,
    [property: Id(5)] DateTime QueuedAt,
    [property: Id(6)] int Units = 0,
    [property: Id(7)] int Uploads = 0,
    [property: Id(8)] string? Silo = null);
