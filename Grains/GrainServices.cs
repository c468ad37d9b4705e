using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Pipeline.Grains.Alerts;
using Pipeline.Grains.Channels;
using Pipeline.Grains.Limits;
using Pipeline.Grains.Notion;
using Pipeline.Grains.Steps;
using Pipeline.Grains.Publishing;
using Pipeline.Grains.Tasks;
using Pipeline.Grains.Workspace;
using Pipeline.Grains.YouTube;

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
        services.AddSingleton<TaskWriter>();
        services.AddSingleton(WorkspaceOptions.From(configuration));
        services.AddSingleton(JobRunnerOptions.From(configuration));
        services.AddSingleton<JobRunner>();
        services.AddSingleton<ProviderGates>();
        services.AddSingleton(LimiterOptions.From(configuration));
        services.AddSingleton<OutboxPublisher>();
        services.AddSingleton(NotionOptions.From(configuration));
        services.AddSingleton(NotionSyncOptions.From(configuration));
        services.AddSingleton<NotionClients>();
        services.AddYouTube(configuration);
        switch (configuration["PIPELINE_STEP_EXECUTOR"])
        {
            case null or "" or "scripts":
                services.TryAddSingleton<IStepExecutor, ScriptStepExecutor>();
                break;
            case "instant":
                // Every step done at once, no media: for measuring the workflow itself (benchmarks/workflow.sh).
                services.TryAddSingleton<IStepExecutor, SimulatedStepExecutor>();
                break;
            case "simulated":
                // Each job a provider call of a set latency through the real limiters, recorded (benchmarks/providers.sh).
                services.AddSingleton(SimulatedLatencies.From(configuration));
                services.AddSingleton(ProviderCallLog.From(configuration));
                services.TryAddSingleton<IStepExecutor, SimulatedProviderStepExecutor>();
                break;
            case var other:
                throw new InvalidOperationException($"PIPELINE_STEP_EXECUTOR must be \"scripts\" (the default), \"instant\" or \"simulated\"; '{other}' is none of them.");
        }

        services.AddSingleton(sp => new AlertPublisher(
            new HttpClient(),
            configuration["SLACK_WEBHOOK_URL"] is { Length: > 0 } url ? url : null,
            sp.GetRequiredService<ILogger<AlertPublisher>>()));
        services.AddHostedService<ChannelsStartupLoader>();
        return services;
    }
}
