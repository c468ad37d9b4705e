using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Channels;

namespace Pipeline.Grains.Channels;

/// <summary>
/// Reads channels.yaml when a silo has started, so a fresh cluster has its channels without an
/// explicit reload. An invalid file is logged and the configuration in force (persisted) stays.
/// </summary>
public sealed partial class ChannelsStartupLoader(
    IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<ChannelsStartupLoader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await grains.GetGrain<IChannelDirectoryGrain>(IChannelDirectoryGrain.Key).Reload();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Never fatal: the persisted configuration stays in force, and POST /channels/reload
                // can apply the file later.
                LogRetry(attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 30)), stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading channels.yaml failed (attempt {Attempt}): {Reason}")]
    private partial void LogRetry(int attempt, string reason);
}
