using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Pipeline.Grains.Tasks;
using Pipeline.Grains;
using Orleans.Configuration;
using Orleans.Dashboard;
using Pipeline.ServiceDefaults;

namespace Pipeline.Silo.Hosting;

/// <summary>
/// The silo process: an Orleans silo whose membership, grain state and reminders live in
/// PostgreSQL, with the Orleans Dashboard and a liveness probe on a loopback HTTP port.
/// </summary>
public static class SiloHost
{
    /// <param name="configureServices">Lets a test host swap services (e.g. the step executor) after the defaults.</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults("pipeline-silo");

        var configuration = builder.Configuration;
        // One pool for the whole silo: 10 silos and a gateway stay within the server's 300 connections.
        var database = PipelineSettings.CreateDataSource(configuration, defaultMaxPoolSize: 25);
        var siloPort = PipelineSettings.Port(configuration, "PIPELINE_SILO_PORT", 11111);
        var gatewayPort = PipelineSettings.Port(configuration, "PIPELINE_GATEWAY_PORT", 30000);
        var httpPort = PipelineSettings.Port(configuration, "PIPELINE_SILO_HTTP_PORT", 8080);
        // The Dashboard samples every grain's statistics each second: worth it for operators, not for short-lived test silos.
        var dashboard = configuration["PIPELINE_DASHBOARD"] is not ("off" or "false" or "0");

        builder.WebHost.UseUrls($"http://127.0.0.1:{httpPort}");
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = PipelineSettings.ClusterId;
                o.ServiceId = PipelineSettings.ServiceId;
            });
            silo.Configure<SiloOptions>(o => o.SiloName = $"silo-{siloPort}");
            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = PipelineSettings.AdoNetInvariant;
                o.DataSource = database;
            });
            silo.AddAdoNetGrainStorageAsDefault(o =>
            {
                o.Invariant = PipelineSettings.AdoNetInvariant;
                o.DataSource = database;
                o.GrainStorageSerializer = new JsonGrainStateSerializer();
            });
            // Task grains: the default provider's rows, each move's state written with its history and read-model
            // row in one transaction, many tasks per statement.
            silo.Services.AddGrainStorage(TaskStateStorage.Name, (sp, _) => new TaskStateStorage(
                sp.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME),
                ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
                sp.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME),
                sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                sp.GetRequiredService<TaskWriter>()));
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = PipelineSettings.AdoNetInvariant;
                o.DataSource = database;
            });
            silo.AddActivityPropagation();
            // A storage failure reaches callers as itself (e.g. the gateway's 503), not as a codec error.
            silo.Services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
            if (dashboard)
            {
                silo.AddDashboard();
            }
        });

        builder.Services.AddSingleton(database);
        builder.Services.AddPipelineGrains(configuration);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapGet("/health", () => Results.Ok(new { status = "up", silo = $"silo-{siloPort}" }));
        if (dashboard)
        {
            app.MapOrleansDashboard(routePrefix: "/dashboard");
        }

        return app;
    }
}
