using Pipeline.Grains.Abstractions.Limits;
using Pipeline.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Pipeline.Tests.Limits;

/// <summary>The silo holding a limiter dies: the limiter comes back on the other silo with the leases it had granted.</summary>
public sealed class LimiterFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_limiter_activated_again_on_another_silo_counts_the_leases_already_out()
    {
        await using var harness = await PipelineHarness.StartAsync(LimiterFixture.ChannelsYaml, silos: 2);
        const string Provider = "failover-test";
        var limiter = harness.Orleans.GetGrain<IProviderLimiterGrain>(Provider);
        var lease = TimeSpan.FromSeconds(20);
        await limiter.Configure(LimiterConfig.Slots(Provider, 2, lease));
        var first = await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("a", "first"));
        var second = await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("b", "second"));

        // The silo that logged the limiter's configuration hosts it.
        var host = await Eventually.GetAsync(
            () => Task.FromResult(harness.Silos.FirstOrDefault(s => s.Process.Printed($"Limiter {Provider}"))),
            s => s is not null, TimeSpan.FromSeconds(10), "the silo hosting the limiter");
        await harness.KillSiloAsync(host!);

        // On the surviving silo: both slots are still out, so a new request waits.
        var state = await Eventually.GetAsync(() => limiter.GetState(), s => s.Holders.Count == 2, TimeSpan.FromSeconds(90), "the limiter back with its leases");
        output.WriteLine($"after the kill: {state.InUse}/{state.Concurrency} in use");
        Assert.Equal(2, state.Concurrency);
        var waiter = LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("a", "waits"), TimeSpan.FromSeconds(60));
        await Eventually.GetAsync(() => limiter.GetState(), s => s.WaitingByChannel.GetValueOrDefault("a") == 1, TimeSpan.FromSeconds(10), "one request waiting");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(waiter.IsCompleted, "a third slot was granted with a limit of 2");

        // The holders are alive: their renewals reach the new activation and are accepted.
        Assert.True(await limiter.Renew(first.LeaseId));
        Assert.True(await limiter.Renew(second.LeaseId));
        Assert.Equal(2, (await limiter.GetState()).InUse);

        // A release on the new activation hands the slot on.
        await limiter.Release(first.LeaseId);
        var next = await waiter.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, (await limiter.GetState()).InUse);
        await limiter.Release(next.LeaseId);
        await limiter.Release(second.LeaseId);
    }

    [Fact]
    public async Task A_reload_of_channels_yaml_changes_the_limits_without_a_restart()
    {
        await using var harness = await PipelineHarness.StartAsync(LimiterFixture.ChannelsYaml);
        var limiter = harness.Orleans.GetGrain<IProviderLimiterGrain>("elevenlabs");
        await Eventually.GetAsync(() => limiter.GetState(), s => s.Concurrency == 2, TimeSpan.FromSeconds(30), "elevenlabs configured from channels.yaml");
        Assert.Equal(TimeSpan.FromSeconds(60), (await limiter.GetState()).LeaseDuration);

        await File.WriteAllTextAsync(harness.ChannelsPath, LimiterFixture.ChannelsYaml.Replace("elevenlabs: { concurrency: 2 }", "elevenlabs: { concurrency: 4 }", StringComparison.Ordinal));
        using var response = await harness.Api.PostAsync("/channels/reload", null);
        Assert.True(response.IsSuccessStatusCode, $"reload answered {(int)response.StatusCode}");
        Assert.Equal(4, (await limiter.GetState()).Concurrency);
    }
}
