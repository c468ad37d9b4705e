using System.Globalization;

namespace Pipeline.Benchmarks.Webhooks;

/// <summary>The run's parameters, from the runner's environment (benchmarks/webhooks.sh).</summary>
public sealed record Settings(
    Uri Floor,
    Uri Gateway,
    string Secret,
    string Database,
    IReadOnlyList<int> Rates,
    TimeSpan PhaseLength,
    int Pages,
    int OpenLoopConnections,
    string WrkExecutable,
    int WrkThreads,
    int WrkConnections,
    int WrkGatewayEvents,
    int WrkFloorEvents,
    TimeSpan DrainLimit,
    IReadOnlyDictionary<string, int> Processes,
    int PostgresPid,
    string Report)
{
    public static Settings FromEnvironment() => new(
        new Uri(Required("BENCH_FLOOR_URL").TrimEnd('/') + "/webhook/notion"),
        new Uri(Required("BENCH_GATEWAY_URL").TrimEnd('/') + "/webhook/notion"),
        Required("NOTION_WEBHOOK_SECRET"),
        Required("PIPELINE_DB"),
        [.. (Environment.GetEnvironmentVariable("BENCH_RATES") ?? "250,500,1000,2000,4000")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => int.Parse(r, CultureInfo.InvariantCulture))],
        TimeSpan.FromSeconds(Number("BENCH_SECONDS", 10)),
        Number("BENCH_PAGES", 300),
        Number("BENCH_OPEN_CONNECTIONS", 256),
        Environment.GetEnvironmentVariable("BENCH_WRK") ?? "wrk",
        Number("BENCH_WRK_THREADS", 2),
        Number("BENCH_WRK_CONNECTIONS", 64),
        Number("BENCH_WRK_EVENTS", 100_000),
        Number("BENCH_WRK_FLOOR_EVENTS", 20_000),
        TimeSpan.FromSeconds(Number("BENCH_DRAIN_SECONDS", 120)),
        // "gateway=123 silo=456 floor=789": the processes whose CPU is reported per phase.
        (Environment.GetEnvironmentVariable("BENCH_PIDS") ?? "")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture)),
        Number("BENCH_POSTGRES_PID", 0),
        Required("BENCH_REPORT"));

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is not set");

    private static int Number(string name, int fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
