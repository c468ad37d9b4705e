using Orleans.Concurrency;

namespace Pipeline.Grains.Abstractions.Limits;

/// <summary>
/// One provider's concurrency limit for the whole cluster (key: the provider, e.g. <c>kling</c>).
/// A slot is a lease that expires unless its holder renews it, so a holder that dies gives its slot
/// back. Waiting requests are granted in weighted turns between channels, then by priority, then oldest first.
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
    [AlwaysInterleave]
    Task<LeaseGrant?> Acquire(LeaseRequest request);

    /// <summary>Extends a lease by its lease duration.</summary>
    /// <param name="leaseId">The lease.</param>
    /// <returns>False when the lease has expired or is unknown (the slot is no longer the caller's).</returns>
    Task<bool> Renew(Guid leaseId);

    /// <summary>Gives a slot back; the next request in line gets it at once. Unknown leases are ignored.</summary>
    /// <param name="leaseId">The lease.</param>
    /// <returns>When done.</returns>
    Task Release(Guid leaseId);

    /// <summary>Sets the limit, the channels' weights and the lease duration (from channels.yaml).</summary>
    /// <param name="config">The limits.</param>
    /// <returns>When applied.</returns>
    Task Configure(LimiterConfig config);

    /// <summary>The slots, their holders and the waiting requests per channel (for the Dashboard and <c>GET /limits</c>).</summary>
    /// <returns>A snapshot.</returns>
    [AlwaysInterleave]
    Task<LimiterState> GetState();
}
