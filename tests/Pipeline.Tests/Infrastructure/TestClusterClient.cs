using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Pipeline.ServiceDefaults;

namespace Pipeline.Tests.Infrastructure;

/// <summary>An Orleans client that finds the cluster the way the gateway does: through the membership table.</summary>
public sealed class TestClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private TestClusterClient(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<TestClusterClient> ConnectAsync(TestDatabase database)
    {
        var host = Host.CreateDefaultBuilder()
            .UseOrleansClient(client => client
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = PipelineSettings.ClusterId;
                    o.ServiceId = PipelineSettings.ServiceId;
                })
                .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2))
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = PipelineSettings.AdoNetInvariant;
                    o.ConnectionString = database.ConnectionString;
                }))
            .ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .Build();
        await host.StartAsync();
        return new TestClusterClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
