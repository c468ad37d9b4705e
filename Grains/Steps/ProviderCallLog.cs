using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Pipeline.Grains.Steps;

/// <summary>
/// Where the simulated executor writes each call, one JSON object a line (PIPELINE_SIMULATED_CALLS_FILE).
/// A file rather than a grain or an endpoint: the benchmark reads it after the run, from any number of silo
/// processes (one file each), and recording costs the cluster nothing it would not spend anyway.
/// </summary>
public sealed class ProviderCallLog : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly StreamWriter? _writer;
    private readonly Lock _lock = new();

    private ProviderCallLog(string? path)
    {
        if (path is not null)
        {
            _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
        }
    }

    /// <summary>Opens PIPELINE_SIMULATED_CALLS_FILE for appending; without it, calls are not recorded.</summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns>The log.</returns>
    public static ProviderCallLog From(IConfiguration configuration) =>
        new(configuration["PIPELINE_SIMULATED_CALLS_FILE"] is { Length: > 0 } path ? path : null);

    /// <summary>Appends a call; flushed at once, so a reader sees every call whose step has finished.</summary>
    /// <param name="call">The call.</param>
    public void Add(ProviderCallRecord call)
    {
        if (_writer is null)
        {
            return;
        }

        var line = JsonSerializer.Serialize(call, Json);
        lock (_lock)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
        }
    }
}
