namespace Pipeline.Benchmarks.Providers;

/// <summary>What the run was asked to do (the runner's parameters, also written to channels.yaml and the silos' environment).</summary>
public sealed record RunSettings(
    int Channels,
    int VideosPerChannel,
    int MaxConcurrentVideos,
    int Silos,
    int Warmup,
    IReadOnlyDictionary<string, int> Slots,
    IReadOnlyDictionary<string, double> LatencyMs,
    string Bottleneck,
    TimeSpan FairnessWindow)
{
    public int Videos => Channels * VideosPerChannel;

    public double Latency(string provider) => LatencyMs.GetValueOrDefault(provider);
}
