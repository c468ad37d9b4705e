using Npgsql;
using Pipeline.Benchmarks.Webhooks;

// Signed Notion webhooks against the gateway (silo and PostgreSQL behind it) and against the floor (a bare endpoint
// that only checks the signature), side by side: first open loop at rising fixed rates, then closed loop with wrk.
var settings = Settings.FromEnvironment();
await using var database = NpgsqlDataSource.Create(settings.Database);
var stored = new StoredEvents(database);
var events = new EventFactory(settings.Secret, settings.Pages);
using var client = OpenLoop.CreateClient(settings.OpenLoopConnections);
var floor = new OpenLoop(client, settings.Floor);
var gateway = new OpenLoop(client, settings.Gateway);
var expected = await stored.CountAsync();

int Count(int rate) => (int)(rate * settings.PhaseLength.TotalSeconds);

// Warm-up, not reported: JIT, connections, and the page grains' activations.
foreach (var (name, loop) in new[] { ("floor", floor), ("gateway", gateway) })
{
    var warm = await loop.RunAsync(events.Next(Math.Max(1500, settings.Pages * 2)), 500);
    Console.WriteLine($"warm-up {name}: {warm.Accepted}/{warm.Sent} accepted, p99 {warm.Latency.P99:0.0} ms");
    if (warm.Errors > 0)
    {
        throw new InvalidOperationException($"{name} refused {warm.Errors} of {warm.Sent} warm-up requests: is the secret the same?");
    }

    if (loop == gateway)
    {
        expected += warm.Accepted;
        var (count, after) = await stored.WaitForAsync(expected, settings.DrainLimit);
        Console.WriteLine($"  stored {count}/{expected} {after.TotalSeconds:0.0} s after");
    }
}

var rates = new List<RatePhase>();
foreach (var rate in settings.Rates)
{
    var floorCpu = CpuMeter.Start(settings);
    var floorResult = await floor.RunAsync(events.Next(Count(rate)), rate);
    var floorCores = floorCpu.Stop();

    var gatewayCpu = CpuMeter.Start(settings);
    var gatewayResult = await gateway.RunAsync(events.Next(Count(rate)), rate);
    var gatewayCores = gatewayCpu.Stop();
    expected += gatewayResult.Accepted;
    var (count, after) = await stored.WaitForAsync(expected, settings.DrainLimit);

    rates.Add(new RatePhase(rate, floorResult, floorCores, gatewayResult, gatewayCores, (count >= expected, after)));
    Console.WriteLine($"{rate,5}/s  floor p50/p99 {floorResult.Latency.P50:0.00}/{floorResult.Latency.P99:0.00} ms errors {floorResult.Errors}"
        + $"  gateway p50/p99 {gatewayResult.Latency.P50:0.00}/{gatewayResult.Latency.P99:0.00} ms errors {gatewayResult.Errors}"
        + $"  stored {count}/{expected} {after.TotalSeconds:0.0} s after");
    expected = count;
}

var work = Directory.CreateTempSubdirectory("webhook-bench-");
try
{
    var wrk = new Wrk(settings.WrkExecutable, work.FullName);

    var floorMax = await wrk.RunAsync(settings.Floor, Stream(settings.WrkFloorEvents), settings.WrkThreads, settings.WrkConnections, settings.PhaseLength,
        onStart: () => CpuMeter.Start(settings));
    // Per second of wrk's run, not of its set-up (each thread reads and formats its requests before the clock starts).
    var floorCores = wrk.LastMeter!.Stop(new Dictionary<string, double> { ["wrk"] = floorMax.WrkCpuSeconds }, TimeSpan.FromSeconds(floorMax.Seconds));
    Console.WriteLine($"max floor: {floorMax.PerSecond:0}/s, non-2xx {floorMax.NotAccepted}, socket errors {floorMax.SocketErrors}");

    var before = await stored.CountAsync();
    var gatewayMax = await wrk.RunAsync(settings.Gateway, Stream(settings.WrkGatewayEvents), settings.WrkThreads, settings.WrkConnections, settings.PhaseLength,
        onStart: () => CpuMeter.Start(settings));
    var gatewayCores = wrk.LastMeter!.Stop(new Dictionary<string, double> { ["wrk"] = gatewayMax.WrkCpuSeconds }, TimeSpan.FromSeconds(gatewayMax.Seconds));
    // Repeated event ids (when wrk wrapped around its requests) are stored once.
    var (count, after) = await stored.WaitForAsync(before + Math.Min(gatewayMax.Accepted, gatewayMax.Distinct), settings.DrainLimit);
    Console.WriteLine($"max gateway: {gatewayMax.PerSecond:0}/s, non-2xx {gatewayMax.NotAccepted}, socket errors {gatewayMax.SocketErrors}; "
        + $"stored {count - before} {after.TotalSeconds:0.0} s after");

    var max = new MaxPhase(floorMax, floorCores, gatewayMax, gatewayCores, count - before, after);
    var run = await stored.CountAsync();
    Console.WriteLine($"over the run: {run} events stored");
    await File.WriteAllTextAsync(settings.Report, Report.Render(settings, events, rates, max, run));
    Console.WriteLine($"report: {settings.Report}");
}
finally
{
    work.Delete(recursive: true);
}

IEnumerable<SignedEvent> Stream(int count)
{
    for (var i = 0; i < count; i++)
    {
        yield return events.Next();
    }
}
