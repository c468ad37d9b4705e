using System.Text.Json;

namespace Pipeline.Grains.Steps;

/// <summary>
/// What one script run produced, read from its exit code and its last stdout line (a JSON object,
/// per the scripts' contract). Costs are kept on failures too, because a provider may charge for a
/// call whose result was unusable.
/// </summary>
/// <param name="Kind">How the run ended.</param>
/// <param name="ExitCode">The script's exit code; null when it did not start or the runner killed it (timeout).</param>
/// <param name="Output">The result line's <c>output</c> (the file the script wrote), when there is one.</param>
/// <param name="CostUsd">The result line's <c>cost_usd</c>, else 0.</param>
/// <param name="Error">
/// Null on success. Otherwise the result line's <c>error</c>, else the last few stderr lines, else a
/// description such as "exit code 1" or "timed out after 120 s".
/// </param>
/// <param name="RetryAfter">The result line's <c>retry_after_seconds</c>: the provider's own wait before a retry.</param>
/// <param name="Elapsed">From the start of the process until it ended and its output was read.</param>
/// <param name="Result">
/// The whole result line (a cloned JSON object), for extras such as <c>duration_seconds</c>; null
/// when the last stdout line was not a JSON object.
/// </param>
public sealed record JobOutcome(
    JobOutcomeKind Kind,
    int? ExitCode,
    string? Output,
    decimal CostUsd,
    string? Error,
    TimeSpan? RetryAfter,
    TimeSpan Elapsed,
    JsonElement? Result)
{
    public bool Succeeded => Kind == JobOutcomeKind.Succeeded;

    /// <summary>
    /// The end of what the script printed on stdout (at most <see cref="JobRunnerOptions.MaxCapturedBytes"/>),
    /// for a failure report when the log is not at hand.
    /// </summary>
    public string StandardOutputTail { get; init; } = "";

    /// <summary>The end of what the script printed on stderr (its progress and complaints), bounded the same way.</summary>
    public string StandardErrorTail { get; init; } = "";
}
