namespace Pipeline.Benchmarks.Webhooks;

/// <summary>One open-loop phase: a target at a fixed request rate.</summary>
/// <param name="Sent">Requests started.</param>
/// <param name="Accepted">Answered 202.</param>
/// <param name="Errors">Any other answer, a failed connection or a timeout.</param>
/// <param name="Completed">Accepted per second, from the first due time to the last answer.</param>
/// <param name="Latency">Time to 202 in ms, from the moment the request was handed to the client (connection pool wait included).</param>
/// <param name="GeneratorLag">How late the generator started requests against their due time, in ms: large values mean the generator, not the target, set the pace.</param>
public sealed record RateResult(int Rate, int Sent, int Accepted, int Errors, double Completed, Percentiles Latency, Percentiles GeneratorLag);
