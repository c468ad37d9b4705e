// Drives N tasks through every status of the workflow on a running pipeline (silo with the
// instant executor, gateway, PostgreSQL) and reports what it measured. Started by
// benchmarks/workflow.sh, which sets everything up; see benchmarks/README.md.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Npgsql;
using Pipeline.Benchmarks.Workflow;

var gateway = Environment.GetEnvironmentVariable("BENCH_GATEWAY_URL") ?? "http://127.0.0.1:5080";
var token = Environment.GetEnvironmentVariable("PIPELINE_ADMIN_TOKEN") ?? throw new InvalidOperationException("PIPELINE_ADMIN_TOKEN");
var database = Environment.GetEnvironmentVariable("PIPELINE_DB") ?? throw new InvalidOperationException("PIPELINE_DB");
var tasks = int.Parse(Environment.GetEnvironmentVariable("BENCH_TASKS") ?? "10000", CultureInfo.InvariantCulture);
var channels = int.Parse(Environment.GetEnvironmentVariable("BENCH_CHANNELS") ?? "20", CultureInfo.InvariantCulture);

using var http = new HttpClient { BaseAddress = new Uri(gateway), Timeout = TimeSpan.FromMinutes(2) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
await using var db = NpgsqlDataSource.Create(database);

// 1. Warm-up: batches of tasks through the whole workflow, not measured, so the measured rounds see the silo
//    as it runs for days (methods compiled at their final tier, pools and caches filled) rather than its first
//    minutes. One batch was not enough: perf had the silo's tiered-compilation thread at a quarter of a core
//    through the measured run after it. So batches go on until one leaves that thread nearly idle.
var warmup = int.Parse(Environment.GetEnvironmentVariable("BENCH_WARMUP_TASKS") ?? "2000", CultureInfo.InvariantCulture);
var warmupRounds = int.Parse(Environment.GetEnvironmentVariable("BENCH_WARMUP_ROUNDS") ?? "6", CultureInfo.InvariantCulture);
var settled = TimeSpan.FromMilliseconds(int.Parse(Environment.GetEnvironmentVariable("BENCH_WARMUP_JIT_MS") ?? "200", CultureInfo.InvariantCulture));
var warmupJit = new List<TimeSpan?>();
await using var jitMeter = JitMeter.Start();
for (var round = 1; warmup > 0 && round <= warmupRounds; round++)
{
    Console.WriteLine($"warm-up round {round}: {warmup} tasks (not measured)...");
    var jitBefore = jitMeter?.Total;
    var warmIds = Ids($"warm{round}", warmup);
    await CreateAsync(warmIds);
    await QueueAsync(warmIds);
    if (!await WaitPublishedAsync($"warm{round}", warmup))
    {
        return 1;
    }

    var jit = jitMeter?.Total - jitBefore;
    warmupJit.Add(jit);
    Console.WriteLine($"  the silo's tiered compilation used {WarmUp.Seconds(jit)}");
    if (jit is null || jit < settled)
    {
        break;
    }
}

// 2. The measured rounds, one after another on the same silo: this VM's speed moves by a fifth within minutes,
//    so one round says little; the report leads with the middle round and shows them all. In each round every
//    task is created in draft first (timed on its own), then all are queued at once (bulk, 500 ids a request),
//    so the transitions are measured without the creation rate in the way, until every one is published.
var measuredRounds = int.Parse(Environment.GetEnvironmentVariable("BENCH_ROUNDS") ?? "3", CultureInfo.InvariantCulture);
if (measuredRounds < 1)
{
    await Console.Error.WriteLineAsync($"BENCH_ROUNDS must be at least 1, not {measuredRounds}");
    return 2;
}

var rounds = new List<MeasuredRound>();
var gaps = new List<double>();
var statements = new Dictionary<long, StatementTime>();
var statementTimes = false;
var stateWrites = new StateTableWrites(0, 0, 0);
var jitBeforeRounds = jitMeter?.Total;
for (var round = 1; round <= measuredRounds; round++)
{
    Console.WriteLine($"round {round} of {measuredRounds}: creating {tasks} tasks on {channels} channels...");
    var prefix = $"bench{round}";
    var ids = Ids(prefix, tasks);
    var created = Stopwatch.StartNew();
    await CreateAsync(ids);
    created.Stop();

    statementTimes = await Sql.ResetStatementTimesAsync(db);
    var stateWritesBefore = await Sql.StateTableWritesAsync(db);
    var cpuBefore = ProcessCpu.Sample();
    var queued = Stopwatch.StartNew();
    Console.WriteLine("  queueing them...");
    await QueueAsync(ids);
    if (!await WaitPublishedAsync(prefix, tasks))
    {
        return 1;
    }

    var cpu = ProcessCpu.Sample().Where(p => cpuBefore.ContainsKey(p.Key))
        .Select(p => new CpuShare(p.Key, p.Value - cpuBefore[p.Key], queued.Elapsed)).ToList();

    // 3. Where PostgreSQL's time went (read first, so the queries below are not in it), and what the database
    //    recorded: every transition of the round, with its time.
    if (statementTimes)
    {
        foreach (var statement in await Sql.StatementTimesAsync(db, top: 50))
        {
            statements[statement.QueryId] = statements.TryGetValue(statement.QueryId, out var earlier) ? earlier + statement : statement;
        }
    }

    var measured = new MeasuredRound(round, created.Elapsed, await Sql.TransitionTotalsAsync(db, prefix), cpu);
    rounds.Add(measured);
    Console.WriteLine($"  {measured.Rate:N0} transitions/s");
    gaps.AddRange(await Sql.SystemTransitionGapsAsync(db, prefix));
    await Task.Delay(TimeSpan.FromSeconds(1.5)); // backends report their table counts within a second or so
    stateWrites += await Sql.StateTableWritesAsync(db) - stateWritesBefore;
}

var jitDuringRounds = jitMeter?.Total - jitBeforeRounds;
IReadOnlyList<StatementTime>? databaseTime = statementTimes ? [.. statements.Values.OrderByDescending(s => s.TotalMs).Take(6)] : null;

// 4. Listing with everything (warm-up tasks too) in the read model.
var inReadModel = await Sql.ScalarAsync<long>(db, "SELECT count(*) FROM tasks");
var listings = new (string Name, string Url)[]
{
    ("newest 50", "/tasks?page_size=50"),
    ("by status, page 20", "/tasks?status=published&page_size=50&page=20"),
    ("by channel and status", $"/tasks?channel=bench-07&status=published&page_size=50&page=5"),
    ("empty filter result", "/tasks?status=video_error"),
};
var listingResults = new List<(string Name, Percentiles Latency)>();
foreach (var (name, url) in listings)
{
    var samples = new List<double>();
    for (var i = 0; i < 220; i++)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(url);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        if (i >= 20)
        {
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }
    }

    listingResults.Add((name, Percentiles.Of(samples)));
}

var report = Report.Render(tasks, new WarmUp(warmup, warmupJit, settled, jitDuringRounds), inReadModel, channels, database, rounds, Percentiles.Of(gaps), listingResults, stateWrites, databaseTime);
Console.WriteLine(report);
if (Environment.GetEnvironmentVariable("BENCH_REPORT") is { Length: > 0 } path)
{
    await File.WriteAllTextAsync(path, report);
}

return 0;

static string[] Ids(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i => $"{prefix}-{i:D5}")];

Task CreateAsync(string[] batch) =>
    Parallel.ForEachAsync(Enumerable.Range(0, batch.Length), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
    {
        using var response = await http.PostAsJsonAsync("/tasks", new
        {
            id = batch[i],
            channel_id = $"bench-{i % channels:D2}",
            title = $"Benchmark video {i}",
        }, ct);
        await EnsureAsync(response, "POST /tasks", ct);
    });

Task QueueAsync(string[] batch) =>
    Parallel.ForEachAsync(batch.Chunk(500), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, ct) =>
    {
        using var response = await http.PostAsJsonAsync("/tasks/bulk", new { ids = chunk, action = "queue" }, ct);
        await EnsureAsync(response, "POST /tasks/bulk", ct);
    });

// Waits until every task of the batch is published; false (after saying why) when none is for BENCH_STALL_SECONDS.
async Task<bool> WaitPublishedAsync(string prefix, int count)
{
    var stallLimit = TimeSpan.FromSeconds(int.Parse(Environment.GetEnvironmentVariable("BENCH_STALL_SECONDS") ?? "60", CultureInfo.InvariantCulture));
    var lastReport = Stopwatch.StartNew();
    var lastProgress = Stopwatch.StartNew();
    var lastCount = -1L;
    while (true)
    {
        var published = await Sql.PublishedAsync(db, prefix);
        if (published == count)
        {
            return true;
        }

        if (published != lastCount)
        {
            lastCount = published;
            lastProgress.Restart();
        }
        else if (lastProgress.Elapsed > stallLimit)
        {
            await Console.Error.WriteLineAsync($"no task was published for {stallLimit.TotalSeconds:F0} s ({published} of {count}): giving up");
            return false;
        }

        if (lastReport.Elapsed > TimeSpan.FromSeconds(10))
        {
            Console.WriteLine($"  {published} of {count} published");
            lastReport.Restart();
        }

        await Task.Delay(500);
    }
}

static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
{
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }
}
