namespace Pipeline.Tests.Infrastructure;

/// <summary>One silo of the cluster under test: the real silo host, as its own process, on free ports.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private SiloProcess(ChildProcess process, int siloPort, int httpPort)
    {
        Process = process;
        SiloPort = siloPort;
        HttpPort = httpPort;
    }

    /// <summary>
    /// Settings for a test silo that places new grains at random (<c>PIPELINE_TEST_PLACEMENT</c>): Orleans' default weighs
    /// each silo's load, and on a busy machine it can put every grain of a burst on one silo. For tests that need
    /// grains on each silo.
    /// </summary>
    public static IReadOnlyDictionary<string, string> RandomPlacement { get; } =
        new Dictionary<string, string> { ["PIPELINE_TEST_PLACEMENT"] = "random" };

    public ChildProcess Process { get; }

    public int SiloPort { get; }

    public int HttpPort { get; }

    /// <summary>How Orleans names this silo in RuntimeIdentity ("S127.0.0.1:port:generation").</summary>
    public string AddressPrefix => $"S127.0.0.1:{SiloPort}:";

    public static async Task<SiloProcess> StartAsync(TestDatabase database, IReadOnlyDictionary<string, string>? extra = null)
    {
        var siloPort = FreePort.Next();
        var httpPort = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["PIPELINE_DB"] = database.ConnectionString,
            ["PIPELINE_SILO_PORT"] = siloPort.ToString(),
            ["PIPELINE_GATEWAY_PORT"] = FreePort.Next().ToString(),
            ["PIPELINE_SILO_HTTP_PORT"] = httpPort.ToString(),
            ["DOTNET_gcServer"] = "0",
            // Test silos live a minute or two: the Dashboard's start-up and per-second sampling cost more CPU than
            // they show anyone (ClusterTests turns it on once), and so does profile-guided re-JIT.
            ["PIPELINE_DASHBOARD"] = "off",
            ["DOTNET_TieredPGO"] = "0",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var process = ChildProcess.Start(Repo.TestSiloDll, environment);
        var silo = new SiloProcess(process, siloPort, httpPort);
        try
        {
            await Http.WaitForStatusAsync($"http://127.0.0.1:{httpPort}/health", 200, TimeSpan.FromSeconds(60), process);
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }

        return silo;
    }

    public Task StopAsync() => Process.StopAsync(TimeSpan.FromSeconds(30));

    public void Kill() => Process.Kill();

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
