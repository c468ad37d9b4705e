using Microsoft.Extensions.Configuration;
using Npgsql;

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

    /// <summary>
    /// The process's one connection pool to PostgreSQL, shared by the Orleans providers and our own
    /// queries, so a process never holds more than its cap of server connections. A pool size set in
    /// PIPELINE_DB wins over <paramref name="defaultMaxPoolSize"/>.
    /// </summary>
    /// <param name="planEachExecution">
    /// Whether PostgreSQL plans every execution of a prepared statement for its values
    /// (<c>plan_cache_mode=force_custom_plan</c>) instead of settling on one generic plan after five: for
    /// queries whose best plan depends on the values, as a listing's count does on the status asked for.
    /// </param>
    public static NpgsqlDataSource CreateDataSource(IConfiguration configuration, int defaultMaxPoolSize, bool planEachExecution = false)
    {
        var connectionString = Database(configuration);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        if (!connectionString.Contains("pool size", StringComparison.OrdinalIgnoreCase))
        {
            settings.MaxPoolSize = defaultMaxPoolSize;
        }

        // The same few statements run all day (grain state, reminders, read model): let Npgsql
        // prepare them once per connection. Nothing here changes session state, so a connection
        // taken from the pool needs no DISCARD ALL round trip (which would also drop them).
        if (!connectionString.Contains("auto prepare", StringComparison.OrdinalIgnoreCase))
        {
            settings.MaxAutoPrepare = 32;
            settings.NoResetOnClose = true;
        }

        if (planEachExecution)
        {
            settings.Options = $"{settings.Options} -c plan_cache_mode=force_custom_plan".Trim();
        }

        return builder.Build();
    }

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
