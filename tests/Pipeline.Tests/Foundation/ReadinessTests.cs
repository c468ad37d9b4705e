using System.Net;
using System.Text.Json;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Foundation;

public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Ready_answers_503_with_a_reason_while_the_database_is_down_and_200_when_it_is_back()
    {
        await using var silo = await SiloProcess.StartAsync(_database);
        var (proxy, throughProxy) = TcpProxy.For(_database.ConnectionString);
        await using var _ = proxy;
        proxy.Start();
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var gateway = ChildProcess.Start(Repo.GatewayDll, new Dictionary<string, string>
        {
            ["PIPELINE_DB"] = throughProxy,
            ["PIPELINE_GATEWAY_URL"] = url,
            ["PIPELINE_ADMIN_TOKEN"] = PipelineHarness.AdminToken,
            ["DOTNET_gcServer"] = "0",
        });

        await Http.WaitForStatusAsync($"{url}/ready", 200, TimeSpan.FromSeconds(60), gateway);
        await Http.WaitForStatusAsync($"{url}/health", 200, TimeSpan.FromSeconds(5), gateway);

        proxy.Stop();
        await Http.WaitForStatusAsync($"{url}/ready", 503, TimeSpan.FromSeconds(30), gateway);
        using (var response = await Http.Client.GetAsync($"{url}/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("NOT_READY", problem.RootElement.GetProperty("code").GetString());
            Assert.Contains("database unreachable", problem.RootElement.GetProperty("detail").GetString());
            Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("request_id").GetString()));
        }

        // The process itself is still up: liveness does not depend on the database.
        await Http.WaitForStatusAsync($"{url}/health", 200, TimeSpan.FromSeconds(5), gateway);

        proxy.Start();
        await Http.WaitForStatusAsync($"{url}/ready", 200, TimeSpan.FromSeconds(30), gateway);
    }

    [Fact]
    public async Task Ready_answers_503_when_no_silo_is_active()
    {
        var silo = await SiloProcess.StartAsync(_database);
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var gateway = ChildProcess.Start(Repo.GatewayDll, new Dictionary<string, string>
        {
            ["PIPELINE_DB"] = _database.ConnectionString,
            ["PIPELINE_GATEWAY_URL"] = url,
            ["PIPELINE_ADMIN_TOKEN"] = PipelineHarness.AdminToken,
            ["DOTNET_gcServer"] = "0",
        });
        await Http.WaitForStatusAsync($"{url}/ready", 200, TimeSpan.FromSeconds(60), gateway);

        await silo.StopAsync();
        await silo.DisposeAsync();

        await Http.WaitForStatusAsync($"{url}/ready", 503, TimeSpan.FromSeconds(30), gateway);
    }
}
