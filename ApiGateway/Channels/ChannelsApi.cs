using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.ApiGateway.Problems;
using Pipeline.ApiGateway.Tasks;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Tasks;

namespace Pipeline.ApiGateway.Channels;

/// <summary>
/// <c>/channels</c>: the configuration in force (the channel directory grain), live slot use (each channel
/// grain) and task counts (the read model); and reloading channels.yaml without a restart.
/// </summary>
public static class ChannelsApi
{
    public static IEndpointRouteBuilder MapChannelsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/channels")
            .WithTags("Channels")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("", ListChannels)
            .WithName("ListChannels")
            .WithSummary("All configured channels (disabled ones too) with live slot use and task counts");

        api.MapGet("/{id}", GetChannel)
            .WithName("GetChannel")
            .WithSummary("One channel: configuration, task counts by status, its queued and active tasks")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/reload", ReloadChannels)
            .WithName("ReloadChannels")
            .WithSummary("Read channels.yaml again and apply it; an invalid file is refused and the running configuration stays")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        return app;
    }

    public static async Task<Ok<ChannelList>> ListChannels(
        IGrainFactory grains, TaskQueries queries, CancellationToken cancellationToken)
    {
        var documentCall = Directory(grains).GetState();
        var countsQuery = queries.CountsByChannelAsync(cancellationToken);
        await Task.WhenAll(documentCall, countsQuery);
        var channels = (await documentCall).Channels;
        var counts = await countsQuery;

        // 5 to 20 channels: asking each grain at once is cheap, and it is the only live view of its slots.
        var states = await Task.WhenAll(channels.Select(c => grains.GetGrain<IChannelGrain>(c.Id).GetState()));
        var items = channels.Select((config, i) => new ChannelSummary(
            config.Id,
            config.Name,
            config.Enabled,
            config.MaxConcurrentVideos,
            config.Weight,
            AutoApproveNames(config),
            config.KeepFiles,
            states[i].Queued.Count,
            states[i].Active.Count,
            TaskCounts.From(counts.GetValueOrDefault(config.Id))));
        return TypedResults.Ok(new ChannelList([.. items]));
    }

    public static async Task<Results<Ok<ChannelDetails>, ProblemHttpResult>> GetChannel(
        string id, IGrainFactory grains, TaskQueries queries, CancellationToken cancellationToken)
    {
        // The directory decides what exists, so an unknown id never activates a channel grain.
        var document = await Directory(grains).GetState();
        if (document.Channels.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.Ordinal)) is not { } config)
        {
            return ApiProblems.Result(TaskErrorCodes.ChannelNotFound, $"channels.yaml has no channel '{Shorten(id)}'.");
        }

        var stateCall = grains.GetGrain<IChannelGrain>(config.Id).GetState();
        var countsQuery = queries.CountsAsync(config.Id, cancellationToken);
        await Task.WhenAll(stateCall, countsQuery);
        return TypedResults.Ok(ChannelDetails.From(config, await stateCall, await countsQuery));
    }

    public static async Task<Results<Ok<ChannelsReloaded>, ProblemHttpResult>> ReloadChannels(IGrainFactory grains)
    {
        var result = await Directory(grains).Reload();
        if (result.Applied)
        {
            return TypedResults.Ok(new ChannelsReloaded(true, result.Path, result.Channels));
        }

        var first = result.Errors.Count > 0 ? $" First: {result.Errors[0]}." : "";
        var more = result.Errors.Count > 1 ? $" ({result.Errors.Count} errors in all.)" : "";
        return ApiProblems.Result(
            ApiProblems.ChannelsInvalid,
            $"{result.Path} was refused; the configuration in force is unchanged.{first}{more}",
            new Dictionary<string, object?>
            {
                ["path"] = result.Path,
                ["errors"] = result.Errors,
            });
    }

    /// <summary>The gates a channel passes without a person, by the API's gate names.</summary>
    public static IReadOnlyList<string> AutoApproveNames(ChannelConfig config) =>
        [.. (config.AutoApprove ?? []).Select(HumanActions.GateName)];

    private static IChannelDirectoryGrain Directory(IGrainFactory grains) =>
        grains.GetGrain<IChannelDirectoryGrain>(IChannelDirectoryGrain.Key);

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
