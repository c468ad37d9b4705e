using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.ApiGateway.Tasks;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Limits;

namespace Pipeline.ApiGateway.Limits;

/// <summary><c>/limits</c>: each provider limiter's slots, their holders and who waits, per channel (live, from the limiter grains).</summary>
public static class LimitsApi
{
    public static IEndpointRouteBuilder MapLimitsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/limits")
            .WithTags("Limits")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("", ListLimits)
            .WithName("ListLimits")
            .WithSummary("Per provider with a concurrency limit: slots, the jobs holding them and the jobs waiting per channel");

        return app;
    }

    public static async Task<Ok<LimitList>> ListLimits(IGrainFactory grains)
    {
        // The providers channels.yaml gives a concurrency; asking each limiter (a handful) at once.
        var document = await grains.GetGrain<IChannelDirectoryGrain>(IChannelDirectoryGrain.Key).GetState();
        var providers = document.Providers.Where(p => p.Concurrency is > 0).Select(p => p.Provider).ToList();
        var states = await Task.WhenAll(providers.Select(p => grains.GetGrain<IProviderLimiterGrain>(p).GetState()));
        return TypedResults.Ok(new LimitList([.. states.Select(ProviderLimitResponse.From)]));
    }
}

/// <summary><c>GET /limits</c>, in channels.yaml's provider order.</summary>
public sealed record LimitList(IReadOnlyList<ProviderLimitResponse> Items);

/// <summary>One provider's limiter now.</summary>
/// <param name="Provider">The provider.</param>
/// <param name="Concurrency">Slots in all, cluster-wide.</param>
/// <param name="InUse">Slots held.</param>
/// <param name="LeaseSeconds">How long a slot stays held without a renewal.</param>
/// <param name="Holders">The jobs holding slots, oldest grant first.</param>
/// <param name="Waiting">Jobs waiting for a slot, per channel id.</param>
/// <param name="WaitingTotal">All jobs waiting.</param>
public sealed record ProviderLimitResponse(
    string Provider,
    int Concurrency,
    int InUse,
    double LeaseSeconds,
    IReadOnlyList<LeaseHolderResponse> Holders,
    IReadOnlyDictionary<string, int> Waiting,
    int WaitingTotal)
{
    public static ProviderLimitResponse From(LimiterState state) => new(
        state.Provider,
        state.Concurrency,
        state.InUse,
        state.LeaseDuration.TotalSeconds,
        [.. state.Holders.Select(h => new LeaseHolderResponse(
            h.LeaseId, h.ChannelId, h.TaskId, h.JobId, UtcTimes.Normalize(h.GrantedAt), UtcTimes.Normalize(h.ExpiresAt)))],
        new SortedDictionary<string, int>(state.WaitingByChannel.ToDictionary(), StringComparer.Ordinal),
        state.WaitingByChannel.Values.Sum());
}

/// <summary>A job holding a slot.</summary>
public sealed record LeaseHolderResponse(Guid LeaseId, string ChannelId, string TaskId, string JobId, DateTime GrantedAt, DateTime ExpiresAt);
