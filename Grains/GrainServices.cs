using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Pipeline.Grains.Alerts;
using Pipeline.Grains.Channels;
using Pipeline.Grains.Steps;
using Pipeline.Grains.Tasks;

namespace Pipeline.Grains;

/// <summary>The services the grains use, registered once by the silo host.</summary>
public static class GrainServices
{
    /// <summary>Expects an NpgsqlDataSource for the pipeline database to be registered too.</summary>
    public static IServiceCollection AddPipelineGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(TaskOptions.From(configuration));
        services.AddSingleton(new ChannelsFileLocation(
            configuration["PIPELINE_CHANNELS"] is { Length: > 0 } path ? path : "channels.yaml"));
        services.AddSingleton<TaskReadModel>();
        services.TryAddSingleton<IStepExecutor, SimulatedStepExecutor>();
        services.AddSingleton(sp => new AlertPublisher(
            new HttpClient(),
            configuration["SLACK_WEBHOOK_URL"] is { Length: > 0 } url ? url : null,
            sp.GetRequiredService<ILogger<AlertPublisher>>()));
        services.AddHostedService<ChannelsStartupLoader>();
        return services;
    }
}
