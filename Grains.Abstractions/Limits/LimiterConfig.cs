namespace Pipeline.Grains.Abstractions.Limits;

/// <summary>A provider limiter's settings.</summary>
/// <param name="Provider">The provider (the limiter's key).</param>
/// <param name="Concurrency">Slots, cluster-wide (at least 1).</param>
/// <param name="ChannelWeights">Each channel's share of turns (channels.yaml <c>weight</c>); a channel not listed has weight 1.</param>
/// <param name="LeaseDuration">How long a slot stays held without a renewal.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.LimiterConfig")]
public sealed record LimiterConfig(
    [property: Id(0)] string Provider,
    [property: Id(1)] int Concurrency,
    [property: Id(2)] IReadOnlyDictionary<string, int> ChannelWeights,
    [property: Id(3)] TimeSpan LeaseDuration)
{
    /// <summary>The lease duration when none is configured.</summary>
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromSeconds(60);

    /// <summary>Whether two configurations say the same (the weights compared by content).</summary>
    /// <param name="other">The other one.</param>
    /// <returns>True when equal.</returns>
    public bool SameAs(LimiterConfig? other) =>
        other is not null && Provider == other.Provider && Concurrency == other.Concurrency && LeaseDuration == other.LeaseDuration
        && ChannelWeights.Count == other.ChannelWeights.Count
        && ChannelWeights.All(w => other.ChannelWeights.TryGetValue(w.Key, out var v) && v == w.Value);
}
