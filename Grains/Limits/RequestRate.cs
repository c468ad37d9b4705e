namespace Pipeline.Grains.Limits;

/// <summary>
/// Requests per second as a sliding window: at most <see cref="Burst"/> grants within any <see cref="Window"/>.
/// A window rather than a refilling bucket, because providers count requests per window: a full bucket
/// refilled mid-second would let twice the limit through in one second.
/// </summary>
public sealed class RequestRate
{
    /// <summary>
    /// The least added to the window: a request reaches the provider a little after its grant, and not always
    /// equally late (a busy machine delays some by a few hundred milliseconds), so grants exactly a window apart
    /// could arrive closer together than the provider allows. A quarter of the window is added, at least this.
    /// </summary>
    public static readonly TimeSpan LeastMargin = TimeSpan.FromMilliseconds(100);

    private readonly Queue<DateTime> _recent = new();

    /// <param name="perSecond">Requests per second (more than 0).</param>
    public RequestRate(double perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        PerSecond = perSecond;
        Burst = Math.Max(1, (int)Math.Floor(perSecond));
        var window = TimeSpan.FromSeconds(Burst / perSecond);
        Window = window + (window / 4 > LeastMargin ? window / 4 : LeastMargin);
    }

    /// <summary>The rate.</summary>
    public double PerSecond { get; }

    /// <summary>Requests allowed within one <see cref="Window"/>.</summary>
    public int Burst { get; }

    /// <summary>The window.</summary>
    public TimeSpan Window { get; }

    /// <summary>Requests that may start now.</summary>
    /// <param name="now">Now (UTC).</param>
    /// <returns>0 to <see cref="Burst"/>.</returns>
    public int Available(DateTime now)
    {
        Trim(now);
        return Burst - _recent.Count;
    }

    /// <summary>When the next request may start: null when it may start now.</summary>
    /// <param name="now">Now (UTC).</param>
    /// <returns>The time, or null.</returns>
    public DateTime? FreeAt(DateTime now)
    {
        Trim(now);
        return _recent.Count < Burst ? null : _recent.Peek() + Window;
    }

    /// <summary>Counts a request granted now.</summary>
    /// <param name="now">Now (UTC).</param>
    public void Take(DateTime now) => _recent.Enqueue(now);

    /// <summary>
    /// Counts the requests taken at <paramref name="takenAt"/> from <paramref name="releasedAt"/> instead: the
    /// limiter decides, stores its leases and only then lets the requests go, and that write can take long
    /// (it queues behind others), so the window runs from when they went, not from when they were decided.
    /// </summary>
    /// <param name="takenAt">When they were taken (UTC).</param>
    /// <param name="releasedAt">When they were let go (UTC), not earlier.</param>
    public void Retime(DateTime takenAt, DateTime releasedAt)
    {
        if (releasedAt <= takenAt || !_recent.Contains(takenAt))
        {
            return;
        }

        var times = _recent.Select(t => t == takenAt ? releasedAt : t).Order().ToList();
        _recent.Clear();
        foreach (var time in times)
        {
            _recent.Enqueue(time);
        }
    }

    /// <summary>The same recent requests under another rate (a reload changed it).</summary>
    /// <param name="perSecond">The new rate.</param>
    /// <returns>The new window.</returns>
    public RequestRate WithRate(double perSecond)
    {
        var rate = new RequestRate(perSecond);
        foreach (var at in _recent)
        {
            rate._recent.Enqueue(at);
        }

        return rate;
    }

    private void Trim(DateTime now)
    {
        while (_recent.Count > 0 && (_recent.Count > Burst || _recent.Peek() + Window <= now))
        {
            _recent.Dequeue();
        }
    }
}
