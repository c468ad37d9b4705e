using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Limits;
using Pipeline.Grains.Abstractions.Notion;
using Pipeline.Grains.Limits;

namespace Pipeline.Grains.Channels;

/// <summary>
/// The channel configuration in force. A reload reads channels.yaml; an invalid file changes
/// nothing and comes back with every error's position. A channel removed from the file is kept,
/// disabled, so its tasks can still be looked at and finished. Each provider with a concurrency limit
/// gets it pushed to its limiter grain, with the channels' weights.
/// </summary>
public sealed partial class ChannelDirectoryGrain(
    [PersistentState("channels")] IPersistentState<ChannelDirectoryState> state,
    ChannelsFileLocation location,
    LimiterOptions limiterOptions,
    TimeProvider clock,
    ILogger<ChannelDirectoryGrain> logger) : Grain, IChannelDirectoryGrain
{
    public Task<ChannelsDocument> GetState() => Task.FromResult(state.State.Document);

    public async Task<ChannelsReloadResult> Reload()
    {
        var path = Path.GetFullPath(location.Path);
        var parsed = ChannelsFile.Load(path);
        if (parsed.Document is not { } document)
        {
            foreach (var error in parsed.Errors)
            {
                LogInvalid(path, error.Line, error.Column, error.Message);
            }

            return new ChannelsReloadResult(false, path, parsed.Errors, EnabledIds(state.State.Document));
        }

        var removed = state.State.Document.Channels
            .Where(old => document.Channels.All(c => c.Id != old.Id))
            .Select(old => old with { Enabled = false });
        var applied = document with { Channels = [.. document.Channels, .. removed] };

        state.State = new ChannelDirectoryState { Document = applied, Path = path, AppliedAt = clock.GetUtcNow().UtcDateTime };
        await state.WriteStateAsync();
        await Task.WhenAll(applied.Channels.Select(c => GrainFactory.GetGrain<IChannelGrain>(c.Id).Configure(c)));
        await Task.WhenAll(LimiterConfigs(applied).Select(l => GrainFactory.GetGrain<IProviderLimiterGrain>(l.Provider).Configure(l)));
        await Task.WhenAll(applied.Channels.Where(c => c is { Enabled: true, Notion: not null }).Select(c => GrainFactory.GetGrain<INotionSweepGrain>(c.Id).Start()));
        LogApplied(path, document.Channels.Count);
        return new ChannelsReloadResult(true, path, [], EnabledIds(applied));
    }

    /// <summary>A limiter's settings for each provider channels.yaml knows (the named ones and every youtube:&lt;project&gt;).</summary>
    private IEnumerable<LimiterConfig> LimiterConfigs(ChannelsDocument document)
    {
        var weights = document.Channels.ToDictionary(c => c.Id, c => c.Weight, StringComparer.Ordinal);
        return document.Providers.Select(p => new LimiterConfig(p, weights, CapsOf(document, p.Provider), limiterOptions.LeaseDuration));
    }

    private static Dictionary<string, int> CapsOf(ChannelsDocument document, string provider) =>
        document.Channels
            .Where(c => c.Enabled && c.ProviderCaps?.ContainsKey(provider) == true)
            .ToDictionary(c => c.Id, c => c.ProviderCaps![provider], StringComparer.Ordinal);

    private static List<string> EnabledIds(ChannelsDocument document) =>
        document.Channels.Where(c => c.Enabled).Select(c => c.Id).ToList();

    [LoggerMessage(Level = LogLevel.Error, Message = "{Path} is invalid at line {Line}, column {Column}: {Reason}; the configuration in force stays")]
    private partial void LogInvalid(string path, int line, int column, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Path}: {Channels} channel(s)")]
    private partial void LogApplied(string path, int channels);
}
