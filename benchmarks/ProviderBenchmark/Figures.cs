namespace Pipeline.Benchmarks.Providers;

/// <summary>
/// The bottleneck's slot use while work waits for it. Waiting: the union of the times at which at least one
/// of its calls had been requested and not yet granted. Busy: slot-time in which a call was running
/// (started to ended; the lease hand-over before and after is not busy).
/// </summary>
public sealed record BottleneckUse(TimeSpan Waiting, TimeSpan Busy, int Slots, int CallsRunningWhileWaiting, double ActiveUtilisation)
{
    public double Utilisation => Waiting > TimeSpan.Zero ? Busy / (Waiting * Slots) : 0;

    /// <summary>Idle slot-time within the waiting time, per call that ran in it: roughly what each hand-over of a slot costs.</summary>
    public double IdlePerCallMs => CallsRunningWhileWaiting == 0 ? 0 : ((Waiting * Slots) - Busy).TotalMilliseconds / CallsRunningWhileWaiting;
}

/// <summary>
/// Makespan (first queueing to last publication) against the least the limits allow: the bottleneck's work
/// (calls × its latency) over its slots, plus the provider latencies a video needs before its first
/// bottleneck call and after its last one.
/// </summary>
public sealed record Makespan(TimeSpan Measured, TimeSpan Work, TimeSpan Before, TimeSpan After, TimeSpan MeasuredWork, TimeSpan ShortestBefore, TimeSpan ShortestAfter)
{
    public TimeSpan LowerBound => Work + Before + After;

    public double Ratio => Measured / LowerBound;
}

/// <summary>Jain's index over the equal channels, of two things.</summary>
/// <param name="MeanFinish">Each channel's mean time from the first queueing to its videos' publication, in seconds.</param>
/// <param name="Windows">Per fairness window (while every channel still had bottleneck work to come): Jain's index of the channels' bottleneck grants.</param>
public sealed record Fairness(IReadOnlyList<double> MeanFinish, IReadOnlyList<double> Windows)
{
    public double FinishIndex => Jain(MeanFinish);

    public double WindowMean => Windows.Count == 0 ? double.NaN : Windows.Average();

    public double WindowMin => Windows.Count == 0 ? double.NaN : Windows.Min();

    public static double Jain(IReadOnlyCollection<double> x)
    {
        var sumSquares = x.Sum(v => v * v);
        return sumSquares == 0 ? 1 : x.Sum() * x.Sum() / (x.Count * sumSquares);
    }
}

/// <summary>One provider's calls.</summary>
/// <param name="MostRunning">The most calls running at once (started to ended).</param>
/// <param name="MostHeld">The most slots held at once as the jobs saw them (granted to ended; within the limiter's own lease).</param>
/// <param name="WaitMs">Lease wait: requested to granted, ms.</param>
/// <param name="CallMs">Call length: started to ended, ms.</param>
/// <param name="ReleaseMs">Giving the slot back: ended to the release call's return, ms.</param>
public sealed record ProviderFigures(string Provider, int Calls, int? Slots, int MostRunning, int MostHeld, Percentiles WaitMs, Percentiles CallMs, Percentiles ReleaseMs);

/// <summary>
/// Where the makespan went: before the bottleneck's first request, its span (first request to last end),
/// and after its last call. Within the span: until all its slots were first busy at once (the ramp), and
/// after they were last all busy (the tail).
/// </summary>
public sealed record Timeline(TimeSpan BeforeFirstRequest, TimeSpan Span, TimeSpan AfterLastEnd, TimeSpan Ramp, TimeSpan Tail, TimeSpan IdleSlotTime);
