using Pipeline.Grains.Abstractions.Channels;

namespace Pipeline.Grains.Abstractions.Limits;

/// <summary>A provider limiter's settings, from channels.yaml.</summary>
/// <param name="Limit">The provider's limits: slots, requests per second, daily quota and its reset (unset: no such limit).</param>
/// <param name="ChannelWeights">Each channel's share of turns (channels.yaml <c>weight</c>); a channel not listed has weight 1.</param>
/// <param name="ChannelCaps">The most slots a channel may hold at once (channels.yaml <c>provider_caps</c>); a channel not listed has no cap of its own.</param>
/// <param name="LeaseDuration">How long a slot stays held without a renewal.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.LimiterConfig")]
public sealed record LimiterConfig(
    [property: Id(0)] ProviderLimit Limit,
    [property: Id(1)] IReadOnlyDictionary<string, int> ChannelWeights,
    [property: Id(2)] IReadOnlyDictionary<string, int> ChannelCaps,
    [property: Id(3)] TimeSpan LeaseDuration)
{
    /// <summary>The lease duration when none is configured.</summary>
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(60);

    /// <summary>The provider (the limiter's key).</summary>
    public string Provider => Limit.Provider;

    /// <summary>A limiter with slots only (no rate, no quota), every channel weighing 1 unless given.</summary>
    /// <param name="provider">The provider.</param>
    /// <param name="concurrency">The slots.</param>
    /// <param name="leaseDuration">The lease duration.</param>
    /// <param name="weights">Channel weights, if any.</param>
    /// <returns>The settings.</returns>
    public static LimiterConfig Slots(string provider, int concurrency, TimeSpan leaseDuration, IReadOnlyDictionary<string, int>? weights = null) =>
        new(new ProviderLimit(provider, Concurrency: concurrency), weights ?? new Dictionary<string, int>(), new Dictionary<string, int>(), leaseDuration);

    /// <summary>Whether two configurations say the same (the dictionaries compared by content).</summary>
    /// <param name="other">The other one.</param>
    /// <returns>True when equal.</returns>
    public bool SameAs(LimiterConfig? other) =>
        other is not null && Limit == other.Limit && LeaseDuration == other.LeaseDuration
        && SameEntries(ChannelWeights, other.ChannelWeights) && SameEntries(ChannelCaps, other.ChannelCaps);

    private static bool SameEntries(IReadOnlyDictionary<string, int> a, IReadOnlyDictionary<string, int> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var v) && v == e.Value);
}
