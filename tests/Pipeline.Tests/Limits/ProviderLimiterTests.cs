using System.Diagnostics;
using System.Text.Json;
using Pipeline.Grains.Abstractions.Limits;
using Xunit.Abstractions;

namespace Pipeline.Tests.Limits;

/// <summary>The cluster-wide provider limiter on two silos: the limit holds, dead holders' slots come back, channels take turns.</summary>
public sealed class ProviderLimiterTests(LimiterFixture fixture, ITestOutputHelper output) : IClassFixture<LimiterFixture>
{
    [Fact]
    public async Task Many_concurrent_acquires_never_hold_more_than_the_limit_and_a_release_grants_the_next_at_once()
    {
        await fixture.ConfiguredAsync("kling", 3);
        var limiter = fixture.Limiter("kling");

        var holding = 0;
        var highest = 0;
        var highestSeenByLimiter = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                var state = await limiter.GetState();
                InterlockedMax(ref highestSeenByLimiter, state.InUse);
                await Task.Delay(20);
            }
        });

        // 40 jobs from both channels, each holding its slot for a moment.
        var jobs = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var grant = await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request(i % 2 == 0 ? "a" : "b", $"many-{i}"));
            InterlockedMax(ref highest, Interlocked.Increment(ref holding));
            await Task.Delay(Random.Shared.Next(30, 120));
            Interlocked.Decrement(ref holding);
            await limiter.Release(grant.LeaseId);
        })).ToList();
        await Task.WhenAll(jobs).WaitAsync(TimeSpan.FromSeconds(60));
        await sampling.CancelAsync();
        await sampler;

        Assert.Equal(3, highest);
        Assert.InRange(highestSeenByLimiter, 1, 3);
        Assert.Equal(0, (await limiter.GetState()).InUse);

        // All three slots held and one job waiting: a release hands it over without any polling delay.
        var held = new List<LeaseGrant>();
        for (var i = 0; i < 3; i++)
        {
            held.Add(await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("a", $"held-{i}")));
        }

        var waiter = LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("b", "next"));
        await fixture.WaitingAsync("kling", new Dictionary<string, int> { ["b"] = 1 });
        var clock = Stopwatch.StartNew();
        await limiter.Release(held[0].LeaseId);
        var next = await waiter.WaitAsync(TimeSpan.FromSeconds(5));
        var handOver = clock.Elapsed;
        output.WriteLine($"highest held {highest}, highest the limiter reported {highestSeenByLimiter}; release to grant {handOver.TotalMilliseconds:F0} ms");
        Assert.True(handOver < TimeSpan.FromMilliseconds(500), $"the waiter was granted {handOver.TotalMilliseconds:F0} ms after the release");

        foreach (var lease in held.Skip(1).Append(next))
        {
            await limiter.Release(lease.LeaseId);
        }
    }

    [Fact]
    public async Task A_lease_that_is_not_renewed_comes_back_after_its_lease_time_and_the_waiter_gets_it()
    {
        await fixture.ConfiguredAsync("gemini", 1);
        var limiter = fixture.Limiter("gemini");

        // The holder "dies": it never renews.
        var dead = await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("a", "dies"));
        var grantedAt = Stopwatch.StartNew();
        Assert.Equal(TimeSpan.FromSeconds(LimiterFixture.LeaseSeconds), dead.LeaseDuration);

        var next = await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("b", "waits"), TimeSpan.FromSeconds(30));
        var waited = grantedAt.Elapsed;
        output.WriteLine($"the waiter got the slot {waited.TotalSeconds:F2} s after the dead holder's grant (lease {LimiterFixture.LeaseSeconds} s)");
        Assert.InRange(waited, TimeSpan.FromSeconds(LimiterFixture.LeaseSeconds - 0.5), TimeSpan.FromSeconds(LimiterFixture.LeaseSeconds + 3));
        Assert.False(await limiter.Renew(dead.LeaseId));

        // A live holder renews and keeps its slot past the lease time.
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(LimiterFixture.LeaseSeconds / 3.0));
            Assert.True(await limiter.Renew(next.LeaseId), $"renewal {i + 1} of a live lease was refused");
        }

        Assert.Equal(next.LeaseId, Assert.Single((await limiter.GetState()).Holders).LeaseId);
        await limiter.Release(next.LeaseId);
        Assert.Equal(0, (await limiter.GetState()).InUse);
    }

    [Fact]
    public async Task Channels_take_turns_so_a_small_channel_is_not_served_after_a_big_one()
    {
        // A limiter of the test's own (channels.yaml does not name it), one slot, equal weights.
        var limiter = fixture.Limiter("fairness-test");
        await limiter.Configure(LimiterConfig.Slots("fairness-test", 1, TimeSpan.FromSeconds(60), new Dictionary<string, int> { ["a"] = 1, ["b"] = 1 }));
        var first = await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("a", "first"));

        // A queues 50 jobs, all older than B's 5; A's last one has a higher priority.
        var start = DateTime.UtcNow.AddMinutes(-10);
        var requests = Enumerable.Range(0, 50).Select(i => LimiterFixture.Request("a", $"a{i:D2}", priority: i == 49 ? 1 : 0, queuedAt: start.AddSeconds(i)))
            .Concat(Enumerable.Range(0, 5).Select(i => LimiterFixture.Request("b", $"b{i}", queuedAt: start.AddMinutes(1).AddSeconds(i))))
            .ToList();
        var waits = requests.ToDictionary(r => LimiterFixture.AcquireAsync(limiter, r, TimeSpan.FromSeconds(90)), r => r);
        await fixture.WaitingAsync("fairness-test", new Dictionary<string, int> { ["a"] = 50, ["b"] = 5 });

        // Release each grant in turn and note who got the slot.
        var order = new List<string>();
        var current = first;
        var pending = waits.Keys.ToList();
        while (pending.Count > 0)
        {
            await limiter.Release(current.LeaseId);
            var done = await Task.WhenAny(pending).WaitAsync(TimeSpan.FromSeconds(10));
            pending.Remove(done);
            current = await done;
            order.Add(waits[done].JobId);
            Assert.Single((await limiter.GetState()).Holders);
        }

        await limiter.Release(current.LeaseId);
        output.WriteLine(string.Join(" ", order));

        // Equal weights: a, b, a, b, ... until B's 5 are done, then the rest of A; within A, priority then oldest first.
        Assert.Equal(["a49", "b0", "a00", "b1", "a01", "b2", "a02", "b3", "a03", "b4", "a04", "a05"], order.Take(12));
        Assert.Equal(requests.Where(r => r.ChannelId == "a" && r.JobId != "a49").Select(r => r.JobId),
            order.Where(j => j.StartsWith('a') && j != "a49"));
    }

    [Fact]
    public async Task Get_limits_shows_the_holders_and_the_waiting_jobs_per_channel()
    {
        await fixture.ConfiguredAsync("elevenlabs", 2);
        var limiter = fixture.Limiter("elevenlabs");
        var held = new[]
        {
            await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("a", "speech-1")),
            await LimiterFixture.AcquireAsync(limiter, LimiterFixture.Request("b", "speech-2")),
        };

        // Holders renew as jobs do (the fixture's leases are 2 s).
        using var stop = new CancellationTokenSource();
        var renewing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var lease in held)
                {
                    await limiter.Renew(lease.LeaseId);
                }

                await Task.Delay(300);
            }
        });

        var waiting = new[] { LimiterFixture.Request("a", "wait-1"), LimiterFixture.Request("a", "wait-2"), LimiterFixture.Request("b", "wait-3") }
            .Select(r => LimiterFixture.AcquireAsync(limiter, r, TimeSpan.FromSeconds(60)))
            .ToList();
        await fixture.WaitingAsync("elevenlabs", new Dictionary<string, int> { ["a"] = 2, ["b"] = 1 });

        using var response = await fixture.Harness.Api.GetAsync("/limits");
        var body = await Infrastructure.PipelineHarness.ReadJsonAsync(response);
        output.WriteLine(body.ToString());
        Assert.True(response.IsSuccessStatusCode, $"GET /limits answered {(int)response.StatusCode}: {body}");

        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["gemini", "kling", "elevenlabs", "notion"], items.Select(i => i.GetProperty("provider").GetString()));
        var speech = items.Single(i => i.GetProperty("provider").GetString() == "elevenlabs");
        Assert.Equal(2, speech.GetProperty("concurrency").GetInt32());
        Assert.Equal(2, speech.GetProperty("in_use").GetInt32());
        Assert.Equal(LimiterFixture.LeaseSeconds, speech.GetProperty("lease_seconds").GetDouble());
        var holders = speech.GetProperty("holders").EnumerateArray().ToList();
        Assert.Equal(["speech-1", "speech-2"], holders.Select(h => h.GetProperty("job_id").GetString()).Order());
        Assert.Equal(["a", "b"], holders.Select(h => h.GetProperty("channel_id").GetString()).Order());
        Assert.All(holders, h => Assert.Equal(JsonValueKind.String, h.GetProperty("expires_at").ValueKind));
        Assert.Equal(2, speech.GetProperty("waiting").GetProperty("a").GetInt32());
        Assert.Equal(1, speech.GetProperty("waiting").GetProperty("b").GetInt32());
        Assert.Equal(3, speech.GetProperty("waiting_total").GetInt32());
        Assert.Equal("all 2 slot(s) in use", speech.GetProperty("holdup").GetString());

        // Notion has a request rate and no slots.
        var notion = items.Single(i => i.GetProperty("provider").GetString() == "notion");
        Assert.Equal(JsonValueKind.Null, notion.GetProperty("concurrency").ValueKind);
        Assert.Equal(3, notion.GetProperty("requests_per_second").GetDouble());
        Assert.Equal(3, notion.GetProperty("tokens").GetInt32());

        // Without the token: 401.
        using var anonymous = new HttpClient { BaseAddress = fixture.Harness.Api.BaseAddress };
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/limits")).StatusCode);

        await stop.CancelAsync();
        await renewing;
        foreach (var lease in held)
        {
            await limiter.Release(lease.LeaseId);
        }

        foreach (var lease in await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(30)))
        {
            await limiter.Release(lease.LeaseId);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
