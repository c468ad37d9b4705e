using System.Text.Json;
using Pipeline.Grains.Abstractions.Limits;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Steps;

/// <summary>PIPELINE_STEP_EXECUTOR=simulated (the provider benchmark's executor): every provider job through a real lease.</summary>
public sealed class SimulatedProviderExecutorTests
{
    private const string Channels = """
        providers:
          gemini:     { concurrency: 2 }
          kling:      { concurrency: 3 }
          elevenlabs: { concurrency: 2 }
        channels:
          - id: films
            name: Films
            auto_approve: [assets, video, audio, final]
        """;

    [Fact]
    public async Task A_video_is_published_with_a_lease_per_provider_job_and_every_call_recorded()
    {
        var calls = Path.Combine(Directory.CreateTempSubdirectory("pipeline-calls-").FullName, "calls.jsonl");
        await using var harness = await PipelineHarness.StartAsync(Channels, siloEnvironment: new Dictionary<string, string>
        {
            ["PIPELINE_STEP_EXECUTOR"] = "simulated",
            ["PIPELINE_SIMULATED_LATENCY_MS"] = "gemini=5,kling=20,elevenlabs=5,local=1",
            ["PIPELINE_SIMULATED_CALLS_FILE"] = calls,
        });
        // Slots as channels.yaml says (an unconfigured limiter has 1), so the grants counted are the configured limiter's.
        var slots = new Dictionary<string, int> { ["gemini"] = 2, ["kling"] = 3, ["elevenlabs"] = 2 };
        var limiters = slots.Keys.ToArray();
        var before = new Dictionary<string, long>();
        foreach (var (provider, concurrency) in slots)
        {
            var limiter = harness.Orleans.GetGrain<IProviderLimiterGrain>(provider);
            before[provider] = (await Eventually.GetAsync(limiter.GetState, s => s.Concurrency == concurrency,
                TimeSpan.FromSeconds(30), $"{provider} configured from channels.yaml")).Granted;
        }

        var taskId = await harness.CreateTaskAsync("films", queue: true, plan: JsonDocument.Parse(SamplePlans.ThreeScenes).RootElement);
        await harness.WaitForStatusAsync(taskId, WorkflowStatus.Published, TimeSpan.FromSeconds(30));

        // ThreeScenes: 2 assets + 3 composites, 3 clips, 2 narrations + 2 effects, and the assembly (local, no lease).
        var expected = new Dictionary<string, long> { ["gemini"] = 5, ["kling"] = 3, ["elevenlabs"] = 4 };
        foreach (var provider in limiters)
        {
            var state = await harness.Orleans.GetGrain<IProviderLimiterGrain>(provider).GetState();
            Assert.Equal(expected[provider], state.Granted - before[provider]);
            Assert.Equal(0, state.InUse);
        }

        var recorded = File.ReadLines(calls).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(SamplePlans.ThreeScenesJobs, recorded.Count);
        Assert.All(recorded, c => Assert.Equal(taskId, c.GetProperty("task").GetString()));
        Assert.Equal(
            ["elevenlabs", "elevenlabs", "elevenlabs", "elevenlabs", "gemini", "gemini", "gemini", "gemini", "gemini", "kling", "kling", "kling", "local"],
            recorded.Select(c => c.GetProperty("provider").GetString()).Order());
        Assert.All(recorded, c => Assert.True(
            c.GetProperty("requested_at").GetDateTime() <= c.GetProperty("granted_at").GetDateTime()
            && c.GetProperty("started_at").GetDateTime() < c.GetProperty("ended_at").GetDateTime()
            && c.GetProperty("ended_at").GetDateTime() <= c.GetProperty("released_at").GetDateTime(),
            $"times out of order: {c}"));
    }
}
