namespace Pipeline.Benchmarks.Webhooks;

/// <summary>The closed-loop runs, floor and gateway.</summary>
/// <param name="StoredCount">Events stored (notion_events) from the gateway's run.</param>
/// <param name="StoredAfter">How long after wrk stopped the last of them was stored (or the wait gave up).</param>
public sealed record MaxPhase(
    ClosedLoopResult Floor,
    IReadOnlyDictionary<string, double> FloorCpu,
    ClosedLoopResult Gateway,
    IReadOnlyDictionary<string, double> GatewayCpu,
    long StoredCount,
    TimeSpan StoredAfter)
{
    /// <summary>Events stored per second, from wrk's start to the last one stored: what the silo sustains.</summary>
    public double StoredPerSecond => StoredCount / (Gateway.Seconds + StoredAfter.TotalSeconds);
}
