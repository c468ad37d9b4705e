using Microsoft.Extensions.Configuration;

namespace Pipeline.ServiceDefaults;

/// <summary>
/// Reads the fixed configuration names of DESIGN.md §10 (environment variables, or the same
/// keys in appsettings), with their defaults, and fails early with a message that names the
/// setting when a value is unusable.
/// </summary>
public static class PipelineSettings
{
    public const string ClusterId = "pipeline";
    public const string ServiceId = "pipeline";
    public const string AdoNetInvariant = "Npgsql";

    public static string Database(IConfiguration configuration) =>
        configuration["PIPELINE_DB"] is { Length: > 0 } db
            ? db
            : throw new InvalidOperationException(
                "PIPELINE_DB is not set: it must hold the PostgreSQL connection string " +
                "(scripts/run.sh sets it for its private cluster).");

    public static int Port(IConfiguration configuration, string name, int defaultValue)
    {
        var text = configuration[name];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        return int.TryParse(text, out var port) && port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"{name} must be a TCP port (1-65535), not '{text}'.");
    }

    public static string DataDirectory(IConfiguration configuration) =>
        configuration["PIPELINE_DATA_DIR"] is { Length: > 0 } dir ? dir : ".data";
}
