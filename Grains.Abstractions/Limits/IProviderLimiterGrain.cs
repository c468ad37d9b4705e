using Orleans.Concurrency;

namespace Pipeline.Grains.Abstractions.Limits;

/// <summary>
/// One provider's limits for the whole cluster (key: the provider, e.g. <c>kling</c>, <c>notion</c>,
/// <c>youtube:my-project</c>): concurrency slots, requests per second, daily quota, and a back-off when
/// the provider says "too many requests". A slot is a lease that expires unless its holder renews it, so a
/// holder that dies gives its slot back. Waiting requests are granted in weighted turns between channels
/// (each under its own cap), then by priority, then oldest first.
/// </summary>
public interface IProviderLimiterGrain : IGrainWithStringKey
{
    /// <summary>The longest an <see cref="Acquire"/> call waits before answering null.</summary>
    static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long a waiting request keeps its place without a new <see cref="Acquire"/> call.</summary>
    static readonly TimeSpan WaitingTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Waits for a slot (a long poll): answers with a grant as soon as one is free, or null after at most
    /// <see cref="PollTimeout"/>. Call again with the same <see cref="LeaseRequest.RequestId"/> to keep the
    /// place in line; a request not renewed within <see cref="WaitingTimeout"/> leaves the line.
    /// </summary>
    /// <param name="request">Who asks, and their place in line.</param>
    /// <returns>The lease, or null when none came in time.</returns>
    /// <exception cref="ArgumentException">The request needs more quota than the provider has in a whole day.</exception>
    [AlwaysInterleave]
    Task<LeaseGrant?> Acquire(LeaseRequest request);

    /// <summary>Extends a lease by its lease duration.</summary>
    /// <param name="leaseId">The lease.</param>
    /// <returns>False when the lease has expired or is unknown (the slot is no longer the caller's).</returns>
    [AlwaysInterleave]
    Task<bool> Renew(Guid leaseId);

    /// <summary>Gives a slot back; the next request in line gets it at once. Unknown leases are ignored.</summary>
    /// <param name="leaseId">The lease.</param>
    /// <returns>When done.</returns>
    [AlwaysInterleave]
    Task Release(Guid leaseId);

    /// <summary>
    /// Leaves the line: a request nobody waits for any more (its job was cancelled). If it was granted
    /// meanwhile, its slot goes back at once.
    /// </summary>
    /// <param name="requestId">The request.</param>
    /// <returns>When done.</returns>
    [AlwaysInterleave]
    Task Withdraw(Guid requestId);

    /// <summary>
    /// The provider answered "too many requests": nothing is granted, on any silo, for <paramref name="delay"/>
    /// (or longer, if an earlier back-off runs later). Slots already held stay held.
    /// </summary>
    /// <param name="delay">The provider's Retry-After.</param>
    /// <param name="reason">What the provider said (shown in <see cref="GetState"/>).</param>
    /// <returns>When in force.</returns>
    Task BackOff(TimeSpan delay, string reason);

    /// <summary>Sets the limits, the channels' weights and caps, and the lease duration (from channels.yaml).</summary>
    /// <param name="config">The limits.</param>
    /// <returns>When applied.</returns>
    Task Configure(LimiterConfig config);

    /// <summary>The slots, their holders, the waiting requests per channel, the rate, the quota and any back-off (for the Dashboard and <c>GET /limits</c>).</summary>
    /// <returns>A snapshot.</returns>
    [AlwaysInterleave]
    Task<LimiterState> GetState();
}
