namespace Pipeline.Benchmarks.Webhooks;

/// <summary>One closed-loop phase (wrk: each connection sends its next request as soon as the last is answered).</summary>
/// <param name="Requests">Requests answered.</param>
/// <param name="Seconds">How long wrk ran.</param>
/// <param name="NotAccepted">Answers other than 2xx/3xx (wrk's own count).</param>
/// <param name="SocketErrors">Connect, read, write errors and timeouts.</param>
/// <param name="Distinct">Distinct pre-signed requests wrk cycled through; more requests than this means event ids repeated.</param>
/// <param name="LatencyMs">wrk's p50, p99 and max (wrk measures from when a request is written, so it is the service time under this load).</param>
/// <param name="WrkCpuSeconds">CPU wrk itself used (sampled while it ran).</param>
public sealed record ClosedLoopResult(
    long Requests, double Seconds, long NotAccepted, long SocketErrors, int Distinct, Percentiles LatencyMs, double WrkCpuSeconds)
{
    public double PerSecond => Requests / Seconds;

    public long Accepted => Requests - NotAccepted;
}
