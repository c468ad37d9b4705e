namespace Pipeline.Grains.Steps;

/// <summary>
/// One step script to run as a process. The arguments go to the script as an argument list, never
/// through a shell, so prompts and titles reach it verbatim whatever characters they hold.
/// </summary>
/// <param name="Script">
/// A script name under the scripts directory (e.g. <c>generate_asset</c>), or an absolute path.
/// </param>
/// <param name="Arguments">The script's arguments, one element per argument.</param>
/// <param name="Timeout">
/// How long the script may run before its whole process tree is killed (a Transient outcome);
/// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for no limit.
/// </param>
/// <param name="Environment">
/// Variables added to (or overriding) the silo's own environment, e.g. a provider's base URL.
/// Their values are never logged: they hold API keys.
/// </param>
public sealed record JobCommand(
    string Script,
    IReadOnlyList<string> Arguments,
    TimeSpan Timeout,
    IReadOnlyDictionary<string, string>? Environment = null)
{
    /// <summary>Where the script runs (a task's workspace, so its arguments can be relative paths); null: the silo's own.</summary>
    public string? WorkingDirectory { get; init; }
}
