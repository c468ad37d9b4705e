using Pipeline.TestSilo;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Foundation;

/// <summary>Several silo processes on one database: membership, failover and reminders.</summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Two_silos_form_one_cluster_and_a_killed_silos_grains_come_back_on_the_other_with_their_state()
    {
        await using var a = await SiloProcess.StartAsync(_database, SiloProcess.RandomPlacement);
        await using var b = await SiloProcess.StartAsync(_database, SiloProcess.RandomPlacement);
        await using var client = await TestClusterClient.ConnectAsync(_database);

        await Eventually.GetAsync(
            () => _database.ScalarAsync<long>("SELECT count(*) FROM orleansmembershiptable WHERE status = 3"),
            active => active == 2, TimeSpan.FromSeconds(30), "both silos Active in the membership table");

        // Random placement spreads grains over both silos (the default weighs load and once put all 40 on one);
        // write enough that some land on each.
        var grains = Enumerable.Range(0, 40).Select(i => client.Client.GetGrain<IProbeGrain>($"g{i}")).ToList();
        foreach (var (grain, i) in grains.Select((g, i) => (g, i)))
        {
            await grain.Write($"value-{i}");
        }

        var silos = await Task.WhenAll(grains.Select(g => g.GetSilo()));
        var onA = grains.Where((_, i) => silos[i].StartsWith(a.AddressPrefix, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(onA);
        Assert.Contains(silos, s => s.StartsWith(b.AddressPrefix, StringComparison.Ordinal));

        a.Kill();

        foreach (var grain in onA)
        {
            var key = grain.GetPrimaryKeyString();
            var state = await Eventually.GetAsync(grain.GetState, _ => true, TimeSpan.FromSeconds(90), $"{key} answering again");
            Assert.Equal($"value-{key[1..]}", state.Value);
            Assert.StartsWith(b.AddressPrefix, await grain.GetSilo());
        }

        await Eventually.GetAsync(
            () => _database.ScalarAsync<long>(
                $"SELECT count(*) FROM orleansmembershiptable WHERE port = {a.SiloPort} AND status = 6"),
            dead => dead == 1, TimeSpan.FromSeconds(60), "the killed silo declared Dead");
    }

    [Fact]
    public async Task A_silo_on_the_databases_machine_keeps_its_grains_over_the_unix_socket()
    {
        // scripts/run.sh gives its silos this kind of connection string; the application name tells their sessions apart.
        const string application = "socket-silo";
        await using var silo = await SiloProcess.StartAsync(_database, new Dictionary<string, string>
        {
            ["PIPELINE_DB"] = _database.LocalConnectionString + $";Application Name={application}",
        });
        await using var client = await TestClusterClient.ConnectAsync(_database);

        await client.Client.GetGrain<IProbeGrain>("over-socket").Write("stored");

        Assert.Equal(1, await _database.ScalarAsync<int>("SELECT version FROM orleansstorage WHERE grainidextensionstring = 'over-socket'"));
        // A unix-socket session has no client address and port -1.
        var sessions = await _database.ScalarAsync<long>(
            $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{application}' AND datname = '{_database.Name}'");
        var overTcp = await _database.ScalarAsync<long>(
            $"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{application}' AND client_port <> -1");
        Assert.True(sessions > 0, "the silo holds no session on the database");
        Assert.Equal(0, overTcp);
    }

    [Fact]
    public async Task The_orleans_dashboard_is_served_on_the_silos_http_port()
    {
        await using var silo = await SiloProcess.StartAsync(_database, new Dictionary<string, string> { ["PIPELINE_DASHBOARD"] = "on" });
        using var http = new HttpClient();

        using var page = await http.GetAsync($"http://127.0.0.1:{silo.HttpPort}/dashboard/");

        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_reminder_registered_before_a_silo_restart_fires_after_it()
    {
        await using (var first = await SiloProcess.StartAsync(_database))
        {
            await using var client = await TestClusterClient.ConnectAsync(_database);
            await client.Client.GetGrain<IProbeGrain>("reminded").ScheduleReminder(TimeSpan.FromSeconds(15));
            await first.StopAsync();
        }

        Assert.Equal(1, await _database.ScalarAsync<long>(
            "SELECT count(*) FROM orleansreminderstable WHERE grainid LIKE '%reminded'"));

        await using var second = await SiloProcess.StartAsync(_database);
        await using var secondClient = await TestClusterClient.ConnectAsync(_database);

        var state = await Eventually.GetAsync(
            () => secondClient.Client.GetGrain<IProbeGrain>("reminded").GetState(),
            s => s.ReminderFirings.Count > 0, TimeSpan.FromSeconds(90), "the reminder firing on the new silo");
        Assert.Single(state.ReminderFirings);
    }
}
