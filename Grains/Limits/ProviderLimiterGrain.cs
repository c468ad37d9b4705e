using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Limits;

namespace Pipeline.Grains.Limits;

/// <summary>
/// A provider's slots for the whole cluster, as leases. Waiting requests are long polls completed
/// the moment a slot frees (a release, or a lease expired by the timer because its holder stopped
/// renewing). Grants go in smooth weighted round-robin between the channels that wait, then by
/// priority, then oldest first. Leases are persisted before a grant is answered, so an activation on
/// another silo counts the slots already out; the waiting line is in memory only (callers poll again).
/// </summary>
/// <remarks>
/// Only <see cref="Acquire"/> and <see cref="GetState"/> interleave; every other call and the timer run in
/// turns of their own. Within a turn, code up to its first await runs alone, so the dictionaries are
/// changed only there; writes to storage go one at a time (<see cref="SaveAsync"/>) from a snapshot.
/// </remarks>
public sealed partial class ProviderLimiterGrain(
    [PersistentState("limiter")] IPersistentState<ProviderLimiterState> state,
    TimeProvider clock,
    ILogger<ProviderLimiterGrain> logger) : Grain, IProviderLimiterGrain
{
    private static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(250);
    private static readonly Dictionary<string, int> NoWeights = [];

    private readonly Dictionary<Guid, HeldLease> _leases = [];
    private readonly Dictionary<Guid, Waiter> _waiting = [];
    private readonly Dictionary<string, SortedSet<Waiter>> _lines = new(StringComparer.Ordinal);

    // Smooth weighted round-robin: each waiting channel's current weight. A channel leaves when its line empties.
    private readonly Dictionary<string, long> _turns = new(StringComparer.Ordinal);

    private LimiterConfig? _config;
    private LimiterConfig? _unconfigured;
    private Task _lastWrite = Task.CompletedTask;
    private long _changes;
    private long _written;
    private long _granted;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    // Until channels.yaml configures it (the directory does at silo start): one slot, default leases. Not stored.
    private LimiterConfig Config => _config ?? (_unconfigured ??= new LimiterConfig(this.GetPrimaryKeyString(), 1, NoWeights, LimiterConfig.DefaultLeaseDuration));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stored = state.State;
        _config = stored.Concurrency is { } concurrency
            ? new LimiterConfig(this.GetPrimaryKeyString(), concurrency, stored.ChannelWeights, stored.LeaseDuration)
            : null;
        // Renewals are not written (that would be a write per holder every few seconds), so the stored expiry
        // may be old: a lease found here gets a whole lease time from now. A live holder renews in that time;
        // a dead one's slot comes back when it ends.
        var until = Now + Config.LeaseDuration;
        foreach (var lease in state.State.Leases)
        {
            _leases[lease.LeaseId] = lease.ExpiresAt < until ? lease with { ExpiresAt = until } : lease;
        }

        if (_leases.Count > 0)
        {
            LogLeasesRestored(Config.Provider, _leases.Count);
        }

        this.RegisterGrainTimer(OnTickAsync, new GrainTimerCreationOptions(TickPeriod, TickPeriod) { Interleave = false });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Waiting callers poll again and find the next activation.
        foreach (var waiter in _waiting.Values)
        {
            waiter.Pending?.TrySetResult(null);
        }

        try
        {
            await _lastWrite;
        }
        catch (Exception e)
        {
            LogSaveFailed(Config.Provider, e.Message);
        }
    }

    public async Task<LeaseGrant?> Acquire(LeaseRequest request)
    {
        if (LeaseOf(request.RequestId) is { } held)
        {
            // Granted while the caller was between polls (or the answer was lost): the same lease again.
            return GrantOf(held);
        }

        if (!_waiting.TryGetValue(request.RequestId, out var waiter))
        {
            waiter = new Waiter(request);
            _waiting.Add(request.RequestId, waiter);
            LineOf(request.ChannelId).Add(waiter);
        }

        // Only the newest poll of a request waits; an older one still open answers null.
        waiter.Pending?.TrySetResult(null);
        var pending = new TaskCompletionSource<LeaseGrant?>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiter.Pending = pending;
        waiter.LastSeen = Now;

        if (_leases.Count < Config.Concurrency)
        {
            await GrantAsync();
        }

        if (!pending.Task.IsCompleted)
        {
            await Task.WhenAny(pending.Task, Task.Delay(IProviderLimiterGrain.PollTimeout, clock));
        }

        // Back in the grain's turn: either a grant completed it first, or the poll ends empty and the request
        // keeps its place until WaitingTimeout after now.
        if (pending.TrySetResult(null) && waiter.Pending == pending)
        {
            waiter.Pending = null;
            waiter.LastSeen = Now;
        }

        return await pending.Task;
    }

    public async Task<bool> Renew(Guid leaseId)
    {
        if (!_leases.TryGetValue(leaseId, out var lease))
        {
            return false;
        }

        var now = Now;
        if (lease.ExpiresAt <= now)
        {
            _leases.Remove(leaseId);
            LogLeaseExpired(Config.Provider, lease.TaskId, lease.JobId, lease.ChannelId);
            await GrantOrSaveAsync();
            return false;
        }

        _leases[leaseId] = lease with { ExpiresAt = now + Config.LeaseDuration };
        return true;
    }

    public async Task Release(Guid leaseId)
    {
        if (_leases.Remove(leaseId))
        {
            await GrantOrSaveAsync();
        }
    }

    public async Task Configure(LimiterConfig config)
    {
        if (config.SameAs(_config))
        {
            return;
        }

        _config = config with { Concurrency = Math.Max(1, config.Concurrency) };
        LogConfigured(config.Provider, _config.Concurrency, _config.LeaseDuration.TotalSeconds);
        await GrantOrSaveAsync();
    }

    public Task<LimiterState> GetState()
    {
        var config = Config;
        var holders = _leases.Values
            .OrderBy(l => l.GrantedAt)
            .Select(l => new LeaseHolder(l.LeaseId, l.ChannelId, l.TaskId, l.JobId, l.GrantedAt, l.ExpiresAt))
            .ToList();
        var waiting = _lines.Where(l => l.Value.Count > 0).ToDictionary(l => l.Key, l => l.Value.Count, StringComparer.Ordinal);
        return Task.FromResult(new LimiterState(config.Provider, config.Concurrency, _leases.Count, config.LeaseDuration, holders, waiting, _granted));
    }

    /// <summary>Takes back slots whose leases ran out and drops requests nobody polls for any more.</summary>
    private async Task OnTickAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var expired = _leases.Values.Where(l => l.ExpiresAt <= now).ToList();
        foreach (var lease in expired)
        {
            _leases.Remove(lease.LeaseId);
            LogLeaseExpired(Config.Provider, lease.TaskId, lease.JobId, lease.ChannelId);
        }

        foreach (var waiter in _waiting.Values.Where(w => w.Pending is null && now - w.LastSeen > IProviderLimiterGrain.WaitingTimeout).ToList())
        {
            RemoveWaiter(waiter);
        }

        if (expired.Count > 0)
        {
            await GrantOrSaveAsync();
        }
        else if (_leases.Count < Config.Concurrency && _waiting.Count > 0)
        {
            // Only after a failed write could there be free slots and waiters at once; try again.
            await GrantAsync();
        }
    }

    private async Task GrantOrSaveAsync()
    {
        if (!await GrantAsync())
        {
            await SaveAsync();
        }
    }

    /// <summary>Hands the free slots to the next requests in turn; answers them once the leases are stored. Whether it granted any.</summary>
    private async Task<bool> GrantAsync()
    {
        var config = Config;
        var now = Now;
        var granted = new List<(Waiter Waiter, HeldLease Lease)>();
        while (_leases.Count < config.Concurrency && NextWaiter(config) is { } waiter)
        {
            RemoveWaiter(waiter);
            var request = waiter.Request;
            var lease = new HeldLease(Guid.NewGuid(), request.RequestId, request.ChannelId, request.TaskId, request.JobId, now, now + config.LeaseDuration);
            _leases.Add(lease.LeaseId, lease);
            _granted++;
            granted.Add((waiter, lease));
            LogGranted(config.Provider, request.TaskId, request.JobId, request.ChannelId, now - request.QueuedAt);
        }

        if (granted.Count == 0)
        {
            return false;
        }

        try
        {
            await SaveAsync();
        }
        catch (Exception e)
        {
            // The leases stand in this activation (they are counted, so nothing is over-granted here); the next write stores them.
            LogSaveFailed(config.Provider, e.Message);
        }

        foreach (var (waiter, lease) in granted)
        {
            // A poll that already ended leaves the lease to the request's next Acquire.
            waiter.Pending?.TrySetResult(GrantOf(lease));
        }

        return true;
    }

    /// <summary>Smooth weighted round-robin between the channels with requests waiting; within one, its line's first.</summary>
    private Waiter? NextWaiter(LimiterConfig config)
    {
        string? best = null;
        long total = 0;
        foreach (var (channel, line) in _lines)
        {
            if (line.Count == 0)
            {
                continue;
            }

            var weight = Math.Max(1, config.ChannelWeights.GetValueOrDefault(channel, 1));
            total += weight;
            var turn = _turns[channel] = _turns.GetValueOrDefault(channel) + weight;
            if (best is null || turn > _turns[best] || (turn == _turns[best] && string.CompareOrdinal(channel, best) < 0))
            {
                best = channel;
            }
        }

        if (best is null)
        {
            return null;
        }

        _turns[best] -= total;
        return _lines[best].Min;
    }

    private SortedSet<Waiter> LineOf(string channel)
    {
        if (!_lines.TryGetValue(channel, out var line))
        {
            _lines[channel] = line = new SortedSet<Waiter>(WaiterOrder.Instance);
        }

        return line;
    }

    private void RemoveWaiter(Waiter waiter)
    {
        var channel = waiter.Request.ChannelId;
        _waiting.Remove(waiter.Request.RequestId);
        if (_lines.TryGetValue(channel, out var line) && line.Remove(waiter) && line.Count == 0)
        {
            // A channel that stops waiting banks no turns.
            _lines.Remove(channel);
            _turns.Remove(channel);
        }
    }

    private HeldLease? LeaseOf(Guid requestId) => _leases.Values.FirstOrDefault(l => l.RequestId == requestId);

    private LeaseGrant GrantOf(HeldLease lease) => new(lease.LeaseId, lease.ExpiresAt, Config.LeaseDuration);

    /// <summary>Writes the settings and leases as they are now; writes never overlap, and one write covers every change made before it began.</summary>
    private Task SaveAsync()
    {
        var change = ++_changes;
        return _lastWrite = WriteAfterAsync(_lastWrite, change);
    }

    private async Task WriteAfterAsync(Task previous, long change)
    {
        try
        {
            await previous;
        }
        catch
        {
            // That write's caller has its error; this write tries again with everything.
        }

        if (_written >= change)
        {
            return;
        }

        var upTo = _changes;
        state.State = new ProviderLimiterState
        {
            Concurrency = _config?.Concurrency,
            ChannelWeights = _config is null ? [] : new(_config.ChannelWeights, StringComparer.Ordinal),
            LeaseDuration = _config?.LeaseDuration ?? LimiterConfig.DefaultLeaseDuration,
            Leases = [.. _leases.Values],
        };
        await state.WriteStateAsync();
        _written = Math.Max(_written, upTo);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Limiter {Provider}: granted {TaskId}/{JobId} of {ChannelId} after {Waited}")]
    private partial void LogGranted(string provider, string taskId, string jobId, string channelId, TimeSpan waited);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Limiter {Provider}: the lease of {TaskId}/{JobId} of {ChannelId} ran out without a renewal; its slot is taken back")]
    private partial void LogLeaseExpired(string provider, string taskId, string jobId, string channelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Limiter {Provider}: {Concurrency} slot(s), leases of {LeaseSeconds} s")]
    private partial void LogConfigured(string provider, int concurrency, double leaseSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Limiter {Provider}: {Leases} lease(s) restored from storage")]
    private partial void LogLeasesRestored(string provider, int leases);

    [LoggerMessage(Level = LogLevel.Error, Message = "Limiter {Provider}: storing the leases failed: {Reason}")]
    private partial void LogSaveFailed(string provider, string reason);

    private sealed class Waiter(LeaseRequest request)
    {
        public LeaseRequest Request { get; } = request;

        public DateTime LastSeen { get; set; }

        /// <summary>The open poll, if any.</summary>
        public TaskCompletionSource<LeaseGrant?>? Pending { get; set; }
    }

    /// <summary>Higher priority first, then oldest, then by request id so the order is total.</summary>
    private sealed class WaiterOrder : IComparer<Waiter>
    {
        public static readonly WaiterOrder Instance = new();

        public int Compare(Waiter? x, Waiter? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null || y is null)
            {
                return x is null ? -1 : 1;
            }

            var byPriority = y.Request.Priority.CompareTo(x.Request.Priority);
            if (byPriority != 0)
            {
                return byPriority;
            }

            var byAge = x.Request.QueuedAt.CompareTo(y.Request.QueuedAt);
            return byAge != 0 ? byAge : x.Request.RequestId.CompareTo(y.Request.RequestId);
        }
    }
}
