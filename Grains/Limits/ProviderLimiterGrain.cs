using System.Globalization;
using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Limits;
using Pipeline.Grains.Storage;

namespace Pipeline.Grains.Limits;

/// <summary>
/// A provider's limits for the whole cluster: slots as leases, a request rate, a daily quota and a back-off.
/// Waiting requests are long polls completed the moment they may go (a release; a lease expired by the timer
/// because its holder stopped renewing; the rate window, the back-off or the quota day running out, each
/// woken at that instant). Grants go in smooth weighted round-robin between the channels that wait and are
/// under their caps, then by priority, then oldest first. Leases, quota counters and back-off are persisted
/// before a grant is answered, so an activation on another silo counts what is already out; the waiting line
/// is in memory only (callers poll again).
/// </summary>
/// <remarks>
/// <see cref="Acquire"/>, <see cref="Release"/>, <see cref="Renew"/>, <see cref="Withdraw"/> and <see cref="GetState"/>
/// interleave, so a burst of releases is stored by one write rather than one each; configuration, back-off and
/// the timers run in turns of their own. Code up to a turn's first await runs alone, so the collections are
/// changed only there; writes to storage go one at a time (<see cref="SaveAsync"/>), each covering every change
/// made before it began.
/// </remarks>
public sealed partial class ProviderLimiterGrain(
    [PersistentState("limiter")] IPersistentState<ProviderLimiterState> state,
    IClusterMembershipService membership,
    TimeProvider clock,
    ILogger<ProviderLimiterGrain> logger) : Grain, IProviderLimiterGrain
{
    private static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A new lease must be confirmed (renewed once, which holders do on receipt) within this time, or it comes
    /// back: a grant that reached nobody — its caller died as it was sent — wastes seconds, not a lease time.
    /// </summary>
    private static readonly TimeSpan ConfirmWithin = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestBackOff = TimeSpan.FromHours(1);
    private static readonly Dictionary<string, int> None = [];

    private readonly Dictionary<Guid, HeldLease> _leases = [];
    // Every request waiting; its channel's line holds it only while it has a poll open, so a grant always
    // answers someone listening (a request between polls is back in line as it polls again, in its place).
    private readonly Dictionary<Guid, Waiter> _waiting = [];
    private readonly Dictionary<string, SortedSet<Waiter>> _lines = new(StringComparer.Ordinal);

    // Smooth weighted round-robin: each waiting channel's current weight. A channel leaves when its line empties.
    private readonly Dictionary<string, long> _turns = new(StringComparer.Ordinal);

    private LimiterConfig? _config;
    private LimiterConfig? _unconfigured;
    private RequestRate? _rate;
    private TimeZoneInfo _resetZone = TimeZoneInfo.Utc;
    private DateOnly? _quotaDay;
    private int _unitsUsed;
    private int _uploadsUsed;
    private DateTime? _backOffUntil;
    private string? _backOffReason;
    private IGrainTimer? _wake;
    private DateTime? _wakeAt;
    private GroupCommit<ProviderLimiterState>? _writes;
    private long _granted;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    // Until channels.yaml configures it (the directory does at silo start): one slot, default leases. Not stored.
    private LimiterConfig Config => _config ?? (_unconfigured ??= LimiterConfig.Slots(this.GetPrimaryKeyString(), 1, LimiterConfig.DefaultLeaseDuration));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stored = state.State;
        var limit = stored.Limit ?? (stored.Concurrency is { } concurrency ? new ProviderLimit(this.GetPrimaryKeyString(), concurrency) : null);
        if (limit is not null)
        {
            Apply(new LimiterConfig(limit, stored.ChannelWeights, stored.ChannelCaps, stored.LeaseDuration));
        }

        _quotaDay = stored.QuotaDay;
        _unitsUsed = stored.UnitsUsed;
        _uploadsUsed = stored.UploadsUsed;
        _backOffUntil = stored.BackOffUntil;
        _backOffReason = stored.BackOffReason;

        // Renewals are not written (that would be a write per holder every few seconds), so the stored expiry
        // may be old: a lease found here gets a whole lease time from now. A live holder renews in that time;
        // a dead one's slot comes back when it ends.
        var until = Now + Config.LeaseDuration;
        foreach (var lease in stored.Leases)
        {
            _leases[lease.LeaseId] = lease.ExpiresAt < until ? lease with { ExpiresAt = until } : lease;
        }

        if (_leases.Count > 0)
        {
            LogLeasesRestored(Config.Provider, _leases.Count);
        }

        this.RegisterGrainTimer(OnTickAsync, new GrainTimerCreationOptions(TickPeriod, TickPeriod) { Interleave = false });
        _wake = this.RegisterGrainTimer(OnWakeAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan) { Interleave = false });
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
            await Writes.Last;
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

        if (QuotaProblem(request) is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        if (!_waiting.TryGetValue(request.RequestId, out var waiter))
        {
            waiter = new Waiter(request);
            _waiting.Add(request.RequestId, waiter);
        }

        // Only the newest poll of a request waits; an older one still open answers null.
        waiter.Pending?.TrySetResult(null);
        var pending = new TaskCompletionSource<LeaseGrant?>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiter.Pending = pending;
        waiter.LastSeen = Now;
        LineOf(request.ChannelId).Add(waiter);

        await GrantAsync();

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
            LeaveLine(waiter);
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

    public async Task Withdraw(Guid requestId)
    {
        if (_waiting.TryGetValue(requestId, out var waiter))
        {
            RemoveWaiter(waiter);
            waiter.Pending?.TrySetResult(null);
        }

        if (LeaseOf(requestId) is { } lease)
        {
            await Release(lease.LeaseId);
        }
    }

    public async Task BackOff(TimeSpan delay, string reason)
    {
        var until = Now + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay > LongestBackOff ? LongestBackOff : delay);
        if (_backOffUntil is { } current && current >= until)
        {
            return;
        }

        _backOffUntil = until;
        _backOffReason = reason;
        LogBackingOff(Config.Provider, until, reason);
        await SaveAsync();
    }

    public async Task Configure(LimiterConfig config)
    {
        if (config.SameAs(_config))
        {
            return;
        }

        Apply(config);
        var limit = Config.Limit;
        LogConfigured(limit.Provider, limit.Concurrency, limit.RequestsPerSecond, limit.UnitsPerDay, limit.UploadsPerDay, Config.LeaseDuration.TotalSeconds);
        await GrantOrSaveAsync();
    }

    public Task<LimiterState> GetState()
    {
        var config = Config;
        var now = Now;
        var quotaDay = RollQuotaDay(now);
        var holders = _leases.Values
            .OrderBy(l => l.GrantedAt)
            .Select(l => new LeaseHolder(l.LeaseId, l.ChannelId, l.TaskId, l.JobId, l.GrantedAt, l.ExpiresAt, l.Silo))
            .ToList();
        var waiting = _waiting.Values.GroupBy(w => w.Request.ChannelId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var limit = config.Limit;
        var quota = limit.UnitsPerDay is null && limit.UploadsPerDay is null
            ? null
            : new DailyQuotaState(limit.UnitsPerDay, _unitsUsed, limit.UploadsPerDay, _uploadsUsed, quotaDay.ResetsAt, _resetZone.Id);
        var backOff = _backOffUntil > now ? _backOffUntil : null;
        return Task.FromResult(new LimiterState(
            config.Provider, limit.Concurrency, _leases.Count, config.LeaseDuration, holders, waiting, _granted,
            limit.RequestsPerSecond, _rate?.Available(now), quota, backOff, backOff is null ? null : _backOffReason,
            config.ChannelCaps, _waiting.Count > 0 ? Holdup(now, quotaDay) : null));
    }

    private void Apply(LimiterConfig config)
    {
        var limit = config.Limit with { Concurrency = config.Limit.Concurrency is { } slots ? Math.Max(1, slots) : null };
        _config = config with { Limit = limit };
        _rate = limit.RequestsPerSecond is { } perSecond and > 0 ? _rate?.WithRate(perSecond) ?? new RequestRate(perSecond) : null;
        try
        {
            _resetZone = QuotaDay.Zone(limit.ResetTimeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // channels.yaml checks the zone on the machine that read it; this silo may lack it.
            LogUnknownZone(limit.Provider, limit.ResetTimeZone ?? "", e.Message);
            _resetZone = TimeZoneInfo.Utc;
        }
    }

    /// <summary>
    /// Takes back slots whose leases ran out or whose silo the cluster has declared dead, and drops requests
    /// nobody polls for any more (or whose silo is dead).
    /// </summary>
    private async Task OnTickAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        var dead = DeadSilos();
        var expired = _leases.Values.Where(l => l.ExpiresAt <= now || (l.Silo is { } silo && dead.Contains(silo))).ToList();
        foreach (var lease in expired)
        {
            _leases.Remove(lease.LeaseId);
            if (lease.ExpiresAt <= now)
            {
                LogLeaseExpired(Config.Provider, lease.TaskId, lease.JobId, lease.ChannelId);
            }
            else
            {
                LogHolderSiloDead(Config.Provider, lease.TaskId, lease.JobId, lease.Silo!);
            }
        }

        foreach (var waiter in _waiting.Values
            .Where(w => (w.Pending is null && now - w.LastSeen > IProviderLimiterGrain.WaitingTimeout) || (w.Request.Silo is { } silo && dead.Contains(silo)))
            .ToList())
        {
            RemoveWaiter(waiter);
            waiter.Pending?.TrySetResult(null);
        }

        if (expired.Count > 0)
        {
            await GrantOrSaveAsync();
        }
        else if (_waiting.Count > 0)
        {
            // After a failed write there could be free slots and waiters at once; try again.
            await GrantAsync();
        }
    }

    /// <summary>The instant a back-off, a rate window or a quota day ends.</summary>
    private async Task OnWakeAsync(CancellationToken cancellationToken)
    {
        _wakeAt = null;
        await GrantAsync();
    }

    private async Task GrantOrSaveAsync()
    {
        if (!await GrantAsync())
        {
            await SaveAsync();
        }
    }

    /// <summary>Hands out what may go now to the next requests in turn; answers them once stored. Whether it granted any.</summary>
    private async Task<bool> GrantAsync()
    {
        var config = Config;
        var limit = config.Limit;
        var now = Now;
        var quotaDay = RollQuotaDay(now);
        var granted = new List<(Waiter Waiter, HeldLease Lease)>();
        var held = HeldByChannel();
        while (_waiting.Count > 0)
        {
            if (limit.Concurrency is { } slots && _leases.Count >= slots)
            {
                break;
            }

            if (_backOffUntil is { } backOff)
            {
                if (backOff > now)
                {
                    WakeAt(backOff);
                    break;
                }

                _backOffUntil = null;
                _backOffReason = null;
            }

            if (_rate?.FreeAt(now) is { } free)
            {
                WakeAt(free);
                break;
            }

            if (PickChannel(config, held) is not { } pick)
            {
                // Every waiting channel holds its cap.
                break;
            }

            var waiter = _lines[pick].Min!;
            var request = waiter.Request;
            if (!QuotaFits(request))
            {
                WakeAt(quotaDay.ResetsAt);
                break;
            }

            TakeTurn(config, held, pick);
            RemoveWaiter(waiter);
            var confirmBy = now + (config.LeaseDuration < ConfirmWithin ? config.LeaseDuration : ConfirmWithin);
            var lease = new HeldLease(Guid.NewGuid(), request.RequestId, request.ChannelId, request.TaskId, request.JobId, now, confirmBy, request.Silo);
            _leases.Add(lease.LeaseId, lease);
            held[request.ChannelId] = held.GetValueOrDefault(request.ChannelId) + 1;
            _rate?.Take(now);
            _unitsUsed += request.Units;
            _uploadsUsed += request.Uploads;
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

        _rate?.Retime(now, Now);
        foreach (var (waiter, lease) in granted)
        {
            // Every waiter in a line has a poll open; if it ended meanwhile, the request's next Acquire gets the lease.
            waiter.Pending?.TrySetResult(GrantOf(lease));
        }

        return true;
    }

    /// <summary>
    /// Smooth weighted round-robin between the channels with requests waiting and under their caps: the one
    /// whose current weight plus its weight is highest (ties by id). Changes nothing; <see cref="TakeTurn"/> does.
    /// </summary>
    private string? PickChannel(LimiterConfig config, Dictionary<string, int> held)
    {
        string? best = null;
        long bestTurn = 0;
        foreach (var (channel, line) in _lines)
        {
            if (line.Count == 0 || AtCap(config, held, channel))
            {
                continue;
            }

            var turn = _turns.GetValueOrDefault(channel) + Weight(config, channel);
            if (best is null || turn > bestTurn || (turn == bestTurn && string.CompareOrdinal(channel, best) < 0))
            {
                (best, bestTurn) = (channel, turn);
            }
        }

        return best;
    }

    private void TakeTurn(LimiterConfig config, Dictionary<string, int> held, string chosen)
    {
        long total = 0;
        foreach (var (channel, line) in _lines)
        {
            if (line.Count == 0 || AtCap(config, held, channel))
            {
                continue;
            }

            var weight = Weight(config, channel);
            total += weight;
            _turns[channel] = _turns.GetValueOrDefault(channel) + weight;
        }

        _turns[chosen] -= total;
    }

    private static int Weight(LimiterConfig config, string channel) => Math.Max(1, config.ChannelWeights.GetValueOrDefault(channel, 1));

    private static bool AtCap(LimiterConfig config, Dictionary<string, int> held, string channel) =>
        config.ChannelCaps.TryGetValue(channel, out var cap) && held.GetValueOrDefault(channel) >= cap;

    private Dictionary<string, int> HeldByChannel()
    {
        var held = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var lease in _leases.Values)
        {
            held[lease.ChannelId] = held.GetValueOrDefault(lease.ChannelId) + 1;
        }

        return held;
    }

    /// <summary>The quota day now; a new one starts with nothing used.</summary>
    private QuotaDay RollQuotaDay(DateTime now)
    {
        var day = QuotaDay.At(now, _resetZone, Config.Limit.ResetTime ?? TimeOnly.MinValue);
        if (_quotaDay != day.Day)
        {
            if (_quotaDay is not null && (_unitsUsed > 0 || _uploadsUsed > 0))
            {
                LogQuotaReset(Config.Provider, _unitsUsed, _uploadsUsed);
            }

            _quotaDay = day.Day;
            _unitsUsed = 0;
            _uploadsUsed = 0;
        }

        return day;
    }

    private bool QuotaFits(LeaseRequest request) =>
        (Config.Limit.UnitsPerDay is not { } units || _unitsUsed + request.Units <= units)
        && (Config.Limit.UploadsPerDay is not { } uploads || _uploadsUsed + request.Uploads <= uploads);

    private string? QuotaProblem(LeaseRequest request) => Config.Limit switch
    {
        _ when request.Units < 0 || request.Uploads < 0 => "a request cannot spend a negative quota",
        { UnitsPerDay: { } units } when request.Units > units =>
            $"the call needs {request.Units} quota units and {Config.Provider} has {units} a day",
        { UploadsPerDay: { } uploads } when request.Uploads > uploads =>
            $"the call needs {request.Uploads} uploads and {Config.Provider} has {uploads} a day",
        _ => null,
    };

    /// <summary>Why nothing more is granted now, for people.</summary>
    private string Holdup(DateTime now, QuotaDay quotaDay)
    {
        var limit = Config.Limit;
        if (limit.Concurrency is { } slots && _leases.Count >= slots)
        {
            return $"all {slots} slot(s) in use";
        }

        if (_backOffUntil > now)
        {
            return $"{Config.Provider} asked us to wait until {Time(_backOffUntil.Value)} ({_backOffReason})";
        }

        if (_rate?.FreeAt(now) is { } free)
        {
            return $"{_rate.Burst} request(s) per {_rate.Window.TotalSeconds:0.##} s used; next at {Time(free)}";
        }

        if (PickChannel(Config, HeldByChannel()) is not { } next)
        {
            return "every waiting channel holds its provider cap";
        }

        return QuotaFits(_lines[next].Min!.Request)
            ? "being granted"
            : $"the daily quota is used up ({_unitsUsed}/{limit.UnitsPerDay?.ToString(CultureInfo.InvariantCulture) ?? "-"} units,"
              + $" {_uploadsUsed}/{limit.UploadsPerDay?.ToString(CultureInfo.InvariantCulture) ?? "-"} uploads) until {Time(quotaDay.ResetsAt)}";

        static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
    }

    /// <summary>Makes sure <see cref="GrantAsync"/> runs again at <paramref name="at"/> (or earlier, if already due sooner).</summary>
    private void WakeAt(DateTime at)
    {
        if (_wake is null || (_wakeAt is { } due && due <= at))
        {
            return;
        }

        _wakeAt = at;
        var delay = at - Now;
        _wake.Change(delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
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
        _waiting.Remove(waiter.Request.RequestId);
        LeaveLine(waiter);
    }

    private void LeaveLine(Waiter waiter)
    {
        var channel = waiter.Request.ChannelId;
        if (_lines.TryGetValue(channel, out var line) && line.Remove(waiter) && line.Count == 0)
        {
            // A channel that stops waiting banks no turns.
            _lines.Remove(channel);
            _turns.Remove(channel);
        }
    }

    /// <summary>The silos the cluster has declared dead (their address, parsable form).</summary>
    private HashSet<string> DeadSilos()
    {
        var dead = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (address, member) in membership.CurrentSnapshot.Members)
        {
            if (member.Status == SiloStatus.Dead)
            {
                dead.Add(address.ToParsableString());
            }
        }

        return dead;
    }

    private HeldLease? LeaseOf(Guid requestId) => _leases.Values.FirstOrDefault(l => l.RequestId == requestId);

    private LeaseGrant GrantOf(HeldLease lease) => new(lease.LeaseId, lease.ExpiresAt, Config.LeaseDuration, lease.GrantedAt);

    private GroupCommit<ProviderLimiterState> Writes => _writes ??= new(state, Snapshot);

    /// <summary>Writes the settings, leases, quota counters and back-off as they are now; writes never overlap, and one write covers every change made before it began.</summary>
    private Task SaveAsync() => Writes.WriteAsync();

    private ProviderLimiterState Snapshot() => new()
    {
        Limit = _config?.Limit,
        Concurrency = _config?.Limit.Concurrency,
        ChannelWeights = _config is null ? [] : new(_config.ChannelWeights, StringComparer.Ordinal),
        ChannelCaps = _config is null ? [] : new(_config.ChannelCaps, StringComparer.Ordinal),
        LeaseDuration = _config?.LeaseDuration ?? LimiterConfig.DefaultLeaseDuration,
        Leases = [.. _leases.Values],
        QuotaDay = _quotaDay,
        UnitsUsed = _unitsUsed,
        UploadsUsed = _uploadsUsed,
        BackOffUntil = _backOffUntil,
        BackOffReason = _backOffReason,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Limiter {Provider}: granted {TaskId}/{JobId} of {ChannelId} after {Waited}")]
    private partial void LogGranted(string provider, string taskId, string jobId, string channelId, TimeSpan waited);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Limiter {Provider}: the lease of {TaskId}/{JobId} of {ChannelId} ran out without a renewal; its slot is taken back")]
    private partial void LogLeaseExpired(string provider, string taskId, string jobId, string channelId);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Limiter {Provider}: {Concurrency} slot(s), {RequestsPerSecond} request(s)/s, {UnitsPerDay} units/day, {UploadsPerDay} uploads/day, leases of {LeaseSeconds} s")]
    private partial void LogConfigured(string provider, int? concurrency, double? requestsPerSecond, int? unitsPerDay, int? uploadsPerDay, double leaseSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Limiter {Provider}: the silo {Silo} holding {TaskId}/{JobId} is dead; its slot is taken back")]
    private partial void LogHolderSiloDead(string provider, string taskId, string jobId, string silo);

    [LoggerMessage(Level = LogLevel.Information, Message = "Limiter {Provider}: {Leases} lease(s) restored from storage")]
    private partial void LogLeasesRestored(string provider, int leases);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Limiter {Provider}: backing off until {Until:O}: {Reason}")]
    private partial void LogBackingOff(string provider, DateTime until, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Limiter {Provider}: the daily quota resets ({Units} units and {Uploads} uploads were used)")]
    private partial void LogQuotaReset(string provider, int units, int uploads);

    [LoggerMessage(Level = LogLevel.Error, Message = "Limiter {Provider}: the reset time zone {Zone} is unknown on this silo ({Reason}); the quota resets on UTC's clock")]
    private partial void LogUnknownZone(string provider, string zone, string reason);

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
