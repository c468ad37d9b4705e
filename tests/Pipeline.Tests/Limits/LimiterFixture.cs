using Pipeline.Grains.Abstractions.Limits;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Limits;

/// <summary>Two silos with the limiters configured from channels.yaml, leases of 2 s (PIPELINE_LEASE_SECONDS).</summary>
public sealed class LimiterFixture : IAsyncLifetime
{
    public const int LeaseSeconds = 2;

    public const string ChannelsYaml = """
        providers:
          gemini:     { concurrency: 1 }
          kling:      { concurrency: 3 }
          elevenlabs: { concurrency: 2 }
        channels:
          - id: a
            name: A
          - id: b
            name: B
        """;

    public PipelineHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Harness = await PipelineHarness.StartAsync(ChannelsYaml, silos: 2, siloEnvironment: new Dictionary<string, string>
        {
            ["PIPELINE_LEASE_SECONDS"] = LeaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    public Task DisposeAsync() => Harness.DisposeAsync().AsTask();

    public IProviderLimiterGrain Limiter(string provider) => Harness.Orleans.GetGrain<IProviderLimiterGrain>(provider);

    /// <summary>Waits until channels.yaml's limit is in force at the limiter (the directory pushes it at silo start).</summary>
    public Task<LimiterState> ConfiguredAsync(string provider, int concurrency) =>
        Eventually.GetAsync(() => Limiter(provider).GetState(),
            s => s.Concurrency == concurrency && s.LeaseDuration == TimeSpan.FromSeconds(LeaseSeconds),
            TimeSpan.FromSeconds(30), $"limiter {provider} configured with {concurrency} slots");

    public static LeaseRequest Request(string channel, string job, int priority = 0, DateTime? queuedAt = null) =>
        new(Guid.NewGuid(), channel, $"task-{job}", job, priority, queuedAt ?? DateTime.UtcNow);

    /// <summary>Acquire as a job does: call again (same request) while the long poll answers null; confirm the grant on receipt.</summary>
    public static async Task<LeaseGrant> AcquireAsync(IProviderLimiterGrain limiter, LeaseRequest request, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (await limiter.Acquire(request) is { } grant)
            {
                Assert.True(await limiter.Renew(grant.LeaseId), $"the grant to {request.JobId} was gone on receipt");
                return grant;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no lease for {request.JobId} within {timeout}");
            }
        }
    }

    /// <summary>Waits until the limiter has these many requests waiting per channel.</summary>
    public Task<LimiterState> WaitingAsync(string provider, IReadOnlyDictionary<string, int> waiting) =>
        Eventually.GetAsync(() => Limiter(provider).GetState(),
            s => s.WaitingByChannel.Count == waiting.Count && waiting.All(w => s.WaitingByChannel.GetValueOrDefault(w.Key) == w.Value),
            TimeSpan.FromSeconds(30), $"{provider} waiting {string.Join(", ", waiting.Select(w => $"{w.Key}={w.Value}"))}");
}
