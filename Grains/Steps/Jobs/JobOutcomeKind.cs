namespace Pipeline.Grains.Steps;

/// <summary>
/// How a script run ended, as the step decides on it: the scripts' exit codes mapped to what to
/// do next (keep the output, give up, or retry).
/// </summary>
public enum JobOutcomeKind
{
    /// <summary>Exit code 0 and a last stdout line that is a JSON object with <c>output</c>.</summary>
    Succeeded,

    /// <summary>Exit code 2: the input is wrong, so running it again cannot help (permanent).</summary>
    BadInput,

    /// <summary>Exit code 75, or the runner's timeout: worth retrying later (rate limits, 5xx, slowness).</summary>
    Transient,

    /// <summary>
    /// Anything else: another exit code, a script that could not start, or a "success" without a
    /// valid result line. Retried like any failure.
    /// </summary>
    Failed,
}
