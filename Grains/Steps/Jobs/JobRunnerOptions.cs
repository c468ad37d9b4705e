using Microsoft.Extensions.Configuration;

namespace Pipeline.Grains.Steps;

/// <summary>Where the step scripts are, and how much of their output a run keeps in memory.</summary>
public sealed record JobRunnerOptions
{
    /// <summary>64 KiB per stream: far more than a result line or a traceback, and a fixed cost per running job.</summary>
    public const int DefaultMaxCapturedBytes = 64 * 1024;

    /// <summary>The absolute path of the scripts directory; a <see cref="JobCommand.Script"/> name is looked up here.</summary>
    public required string ScriptsDirectory { get; init; }

    /// <summary>
    /// How many bytes of each of stdout and stderr a run keeps (the tail: the result line is last).
    /// Every line is still logged as it arrives; this only bounds what is held for the outcome.
    /// </summary>
    public int MaxCapturedBytes { get; init; } = DefaultMaxCapturedBytes;

    /// <summary>
    /// Reads PIPELINE_SCRIPTS (a directory; relative to the working directory if not absolute). Without
    /// it, the <c>scripts</c> folder of the checkout or deployment the silo runs from (see
    /// <see cref="FindScriptsDirectory"/>).
    /// </summary>
    public static JobRunnerOptions From(IConfiguration configuration) => new()
    {
        ScriptsDirectory = configuration["PIPELINE_SCRIPTS"] is { Length: > 0 } directory
            ? Path.GetFullPath(directory)
            : FindScriptsDirectory(),
    };

    /// <summary>
    /// The <c>scripts</c> folder next to the first folder, walking up from the working directory and
    /// then from the application's base directory, that holds <c>scripts/assemble_video</c> or
    /// <c>Pipeline.sln</c>: so <c>dotnet run</c>, the tests (running from <c>bin/</c>) and a deployment
    /// with the scripts beside the binaries all find it without configuration. If none does,
    /// <c>scripts</c> in the working directory, and a run reports the missing script clearly.
    /// </summary>
    public static string FindScriptsDirectory()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "scripts", "assemble_video"))
                    || File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
                {
                    return Path.Combine(directory.FullName, "scripts");
                }
            }
        }

        return Path.Combine(Directory.GetCurrentDirectory(), "scripts");
    }
}
