using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.ApiGateway.Tasks;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Limits;

namespace Pipeline.ApiGateway.Limits;

/// <summary><c>/limits</c>: each provider limiter's slots and holders, who waits and why, its rate, quota and back-off (live, from the limiter grains).</summary>
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
            .WithSummary("Per provider: slots and the jobs holding them, jobs waiting per channel and why, request tokens, daily quota left and its reset, any back-off");

        return app;
    }

    public static async Task<Ok<LimitList>> ListLimits(IGrainFactory grains)
    {
        // Every provider channels.yaml knows; asking each limiter (a handful) at once.
        var document = await grains.GetGrain<IChannelDirectoryGrain>(IChannelDirectoryGrain.Key).GetState();
        var states = await Task.WhenAll(document.Providers.Select(p => grains.GetGrain<IProviderLimiterGrain>(p.Provider).GetState()));
        return TypedResults.Ok(new LimitList([.. states.Select(ProviderLimitResponse.From)]));
    }
}

/// <summary><c>GET /limits</c>, in channels.yaml's provider order.</summary>
public sealed record LimitList(IReadOnlyList<ProviderLimitResponse> Items);

/// <summary>One provider's limiter now.</summary>
/// <param name="Provider">The provider.</param>
/// <param name="Concurrency">Slots in all, cluster-wide; null when not limited.</param>
/// <param name="InUse">Slots held.</param>
/// <param name="LeaseSeconds">How long a slot stays held without a renewal.</param>
/// <param name="Holders">The jobs holding slots, oldest grant first.</param>
/// <param name="Waiting">Jobs waiting, per channel id.</param>
/// <param name="WaitingTotal">All jobs waiting.</param>
/// <param name="Holdup">Why they wait, in words; null when nothing waits.</param>
/// <param name="RequestsPerSecond">The request rate allowed; null when not limited.</param>
/// <param name="Tokens">Requests that may start right now under that rate; null when not limited.</param>
/// <param name="Quota">The daily quota: used, left and the next reset; null when the provider has none.</param>
/// <param name="BackOffUntil">Until when the provider asked the whole cluster to wait; null when it did not.</param>
/// <param name="BackOffReason">What it said.</param>
/// <param name="ChannelCaps">Channels' own caps on this provider's slots.</param>
public sealed record ProviderLimitResponse(
    string Provider,
    int? Concurrency,
    int InUse,
    double LeaseSeconds,
    IReadOnlyList<LeaseHolderResponse> Holders,
    IReadOnlyDictionary<string, int> Waiting,
    int WaitingTotal,
    string? Holdup,
    double? RequestsPerSecond,
    int? Tokens,
    QuotaResponse? Quota,
    DateTime? BackOffUntil,
    string? BackOffReason,
    IReadOnlyDictionary<string, int> ChannelCaps)
{
    public static ProviderLimitResponse From(LimiterState state) => new(
        state.Provider,
        state.Concurrency,
        state.InUse,
        state.LeaseDuration.TotalSeconds,
        [.. state.Holders.Select(h => new LeaseHolderResponse(
            h.LeaseId, h.ChannelId, h.TaskId, h.JobId, UtcTimes.Normalize(h.GrantedAt), UtcTimes.Normalize(h.ExpiresAt), h.Silo))],
        Sorted(state.WaitingByChannel),
        state.WaitingByChannel.Values.Sum(),
        state.Holdup,
        state.RequestsPerSecond,
        state.Tokens,
        state.Quota is { } quota ? QuotaResponse.From(quota) : null,
        state.BackOffUntil is { } until ? UtcTimes.Normalize(until) : null,
        state.BackOffReason,
        Sorted(state.ChannelCaps ?? new Dictionary<string, int>()));

    private static SortedDictionary<string, int> Sorted(IReadOnlyDictionary<string, int> values) =>
        new(values.ToDictionary(), StringComparer.Ordinal);
}

/// <summary>A job holding a slot, and the silo it runs on.</summary>
public sealed record LeaseHolderResponse(Guid LeaseId, string ChannelId, string TaskId, string JobId, DateTime GrantedAt, DateTime ExpiresAt, string? Silo);

/// <summary>A daily quota today.</summary>
/// <param name="UnitsPerDay">Units a day; null when not limited.</param>
/// <param name="UnitsUsed">Units spent since the last reset.</param>
/// <param name="UnitsLeft">Units left until the next reset; null when not limited.</param>
/// <param name="UploadsPerDay">Uploads a day; null when not limited.</param>
/// <param name="UploadsUsed">Uploads since the last reset.</param>
/// <param name="UploadsLeft">Uploads left until the next reset; null when not limited.</param>
/// <param name="ResetsAt">The next reset (UTC).</param>
/// <param name="TimeZone">The time zone whose clock the reset follows.</param>
public sealed record QuotaResponse(
    int? UnitsPerDay, int UnitsUsed, int? UnitsLeft, int? UploadsPerDay, int UploadsUsed, int? UploadsLeft, DateTime ResetsAt, string TimeZone)
{
    public static QuotaResponse From(DailyQuotaState quota) => new(
        quota.UnitsPerDay, quota.UnitsUsed, quota.UnitsPerDay - quota.UnitsUsed,
        quota.UploadsPerDay, quota.UploadsUsed, quota.UploadsPerDay - quota.UploadsUsed,
        UtcTimes.Normalize(quota.ResetsAt), quota.TimeZone);
}
