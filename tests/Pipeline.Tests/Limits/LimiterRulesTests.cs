using System.Globalization;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Limits;
using Pipeline.Grains.Limits;
using Pipeline.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Pipeline.Tests.Limits;

/// <summary>A limiter's rules beyond slots: channel caps, back-off, request rate, daily quota, leaving the line. Each test has a limiter of its own.</summary>
public sealed class LimiterRulesTests(LimiterFixture fixture, ITestOutputHelper output) : IClassFixture<LimiterFixture>
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly Dictionary<string, int> NoEntries = [];

    [Fact]
    public async Task A_channel_at_its_cap_waits_while_other_channels_use_the_free_slots()
    {
        var limiter = await ConfiguredAsync(new ProviderLimit("caps-test", Concurrency: 4), caps: new() { ["a"] = 1 });
        var a1 = await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("a", "a1"));
        var a2 = LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("a", "a2"), TimeSpan.FromSeconds(30));
        var b1 = await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("b", "b1"), TimeSpan.FromSeconds(5));
        var b2 = await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("b", "b2"), TimeSpan.FromSeconds(5));

        var state = await limiter.GetState();
        Assert.Equal(3, state.InUse);
        Assert.Equal(1, state.WaitingByChannel["a"]);
        Assert.Equal("every waiting channel holds its provider cap", state.Holdup);
        Assert.False(a2.IsCompleted);

        await limiter.Release(a1.LeaseId);
        var granted = await a2.WaitAsync(TimeSpan.FromSeconds(5));
        foreach (var lease in new[] { granted, b1, b2 })
        {
            await limiter.Release(lease.LeaseId);
        }
    }

    [Fact]
    public async Task A_back_off_holds_every_grant_for_its_time_and_then_the_line_moves_on()
    {
        var limiter = await ConfiguredAsync(new ProviderLimit("backoff-test", Concurrency: 2));
        var held = await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("a", "first"));

        await limiter.BackOff(TimeSpan.FromSeconds(2), "HTTP 429: slow down");
        await limiter.Release(held.LeaseId);
        var state = await limiter.GetState();
        Assert.Equal("HTTP 429: slow down", state.BackOffReason);
        var until = Assert.NotNull(state.BackOffUntil);

        // A free slot, and still nothing is granted until the provider's time is up; then at once (the limiter's own clock).
        var next = await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("b", "second"), TimeSpan.FromSeconds(10));
        output.WriteLine($"granted {(next.GrantedAt - until).TotalMilliseconds:0} ms after the back-off ended");
        Assert.InRange(next.GrantedAt - until, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Null((await limiter.GetState()).BackOffUntil);

        // A shorter back-off does not cut a longer one short.
        await limiter.BackOff(TimeSpan.FromSeconds(30), "long");
        await limiter.BackOff(TimeSpan.FromSeconds(1), "short");
        Assert.Equal("long", (await limiter.GetState()).BackOffReason);
        await limiter.Release(next.LeaseId);
    }

    [Fact]
    public async Task Three_requests_a_second_never_put_four_grants_within_a_second()
    {
        var limiter = await ConfiguredAsync(new ProviderLimit("rate-test", RequestsPerSecond: 3));
        var grants = new List<DateTime>();
        var requests = Enumerable.Range(0, 10).Select(i => LimiterFixture.Request(i % 2 == 0 ? "a" : "b", $"r{i}")).ToList();
        var waits = requests.Select(async r =>
        {
            var lease = await LimiterFixture.AcquireAsync(limiter, r, TimeSpan.FromSeconds(30));
            lock (grants)
            {
                // The limiter's own clock: when the caller hears of a grant depends on the machine's load.
                grants.Add(lease.GrantedAt);
            }

            await limiter.Release(lease.LeaseId);
        }).ToList();
        await Task.WhenAll(waits);

        grants.Sort();
        output.WriteLine(string.Join(" ", grants.Select(g => (g - grants[0]).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture))));
        for (var i = 3; i < grants.Count; i++)
        {
            Assert.True(grants[i] - grants[i - 3] >= TimeSpan.FromSeconds(1.25),
                $"grants {i - 3} and {i} came {(grants[i] - grants[i - 3]).TotalMilliseconds:0} ms apart");
        }

        // Ten grants at three per 1.25 s: three windows and a bit, so the limiter did not idle while work waited.
        Assert.InRange(grants[^1] - grants[0], TimeSpan.FromSeconds(3.75), TimeSpan.FromSeconds(5.5));
    }

    [Fact]
    public async Task A_used_up_daily_quota_holds_the_line_until_its_reset_then_the_jobs_go_on()
    {
        // The quota resets a few seconds from now on UTC's clock, as it would at midnight Pacific.
        var resetAt = DateTime.UtcNow.AddSeconds(4);
        var reset = new TimeOnly(resetAt.Hour, resetAt.Minute, resetAt.Second);
        var limiter = await ConfiguredAsync(new ProviderLimit("quota-test", UnitsPerDay: 3000, UploadsPerDay: 5, ResetTimeZone: "UTC", ResetTime: reset));

        var first = await LimiterFixture.AcquireAsync(limiter, Upload("a", "v1"), TimeSpan.FromSeconds(5));
        await limiter.Release(first.LeaseId);
        var second = LimiterFixture.AcquireAsync(limiter, Upload("b", "v2"), TimeSpan.FromSeconds(30));

        var state = await fixture.WaitingAsync("quota-test", new Dictionary<string, int> { ["b"] = 1 });
        output.WriteLine(state.Holdup);
        Assert.Equal((3000, 1600), (state.Quota!.UnitsPerDay, state.Quota.UnitsUsed));
        Assert.StartsWith("the daily quota is used up (1600/3000 units, 1/5 uploads) until", state.Holdup);
        Assert.Equal(new DateTime(resetAt.Year, resetAt.Month, resetAt.Day, reset.Hour, reset.Minute, reset.Second, DateTimeKind.Utc), state.Quota.ResetsAt);

        var granted = await second.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(DateTime.UtcNow >= state.Quota.ResetsAt, "granted before the reset");
        var after = await limiter.GetState();
        Assert.Equal((1600, 1), (after.Quota!.UnitsUsed, after.Quota.UploadsUsed));
        Assert.Equal(state.Quota.ResetsAt.AddDays(1), after.Quota.ResetsAt);
        await limiter.Release(granted.LeaseId);

        // A call bigger than a whole day's quota can never go: refused at once, not left waiting.
        var tooBig = await Assert.ThrowsAsync<ArgumentException>(() => limiter.Acquire(LimiterFixture.Request("a", "huge") with { Units = 5000 }));
        Assert.Contains("needs 5000 quota units and quota-test has 3000 a day", tooBig.Message);

        static LeaseRequest Upload(string channel, string job) => LimiterFixture.Request(channel, job) with { Units = 1600, Uploads = 1 };
    }

    [Fact]
    public async Task A_withdrawn_request_leaves_the_line_and_a_slot_granted_to_it_comes_back_at_once()
    {
        var limiter = await ConfiguredAsync(new ProviderLimit("withdraw-test", Concurrency: 1));
        var held = await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("a", "held"));
        var cancelled = LimiterFixture.Request("a", "cancelled");
        _ = limiter.Acquire(cancelled);
        await fixture.WaitingAsync("withdraw-test", new Dictionary<string, int> { ["a"] = 1 });

        await limiter.Withdraw(cancelled.RequestId);
        Assert.Empty((await limiter.GetState()).WaitingByChannel);

        // Granted, then withdrawn (the job was cancelled as its grant arrived): the slot is free again.
        await limiter.Release(held.LeaseId);
        var late = LimiterFixture.Request("b", "late");
        await LimiterFixture.AcquireAsync(limiter, late);
        await limiter.Withdraw(late.RequestId);
        Assert.Equal(0, (await limiter.GetState()).InUse);
    }

    [Fact]
    public async Task A_grant_nobody_confirms_comes_back_within_seconds_not_a_lease_time()
    {
        var limiter = await ConfiguredAsync(new ProviderLimit("confirm-test", Concurrency: 1));

        // Granted to a caller that never renews (it died as the answer was sent): not held for the 60 s lease.
        var lost = await limiter.Acquire(LimiterFixture.Request("a", "lost"));
        Assert.NotNull(lost);
        var next = LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("b", "next"), TimeSpan.FromSeconds(20));
        var started = DateTime.UtcNow;
        var granted = await next;
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(7));

        // Confirmed on receipt (as holders do): it holds for the whole lease.
        var holder = Assert.Single((await limiter.GetState()).Holders);
        Assert.True(holder.ExpiresAt > DateTime.UtcNow.AddSeconds(50), $"expires at {holder.ExpiresAt:O}");
        await limiter.Release(granted.LeaseId);
    }

    private async Task<IProviderLimiterGrain> ConfiguredAsync(ProviderLimit limit, Dictionary<string, int>? caps = null)
    {
        var limiter = fixture.Limiter(limit.Provider);
        await limiter.Configure(new LimiterConfig(limit, NoEntries, caps ?? NoEntries, Lease));
        return limiter;
    }
}
