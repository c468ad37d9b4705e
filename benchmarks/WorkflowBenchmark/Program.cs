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

// 1. Create every task in draft, 32 requests at a time (timed on its own).
Console.WriteLine($"creating {tasks} tasks on {channels} channels...");
var ids = Enumerable.Range(0, tasks).Select(i => $"bench-{i:D5}").ToArray();
var created = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, tasks), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
{
    using var response = await http.PostAsJsonAsync("/tasks", new
    {
        id = ids[i],
        channel_id = $"bench-{i % channels:D2}",
        title = $"Benchmark video {i}",
    }, ct);
    await EnsureAsync(response, "POST /tasks", ct);
});
created.Stop();

// Then queue them all at once (bulk, 500 ids a request), so the transitions are measured
// without the creation rate in the way.
var statementTimes = await Sql.ResetStatementTimesAsync(db);
var cpuBefore = ProcessCpu.Sample();
var queued = Stopwatch.StartNew();
Console.WriteLine("queueing them...");
await Parallel.ForEachAsync(ids.Chunk(500), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (chunk, ct) =>
{
    using var response = await http.PostAsJsonAsync("/tasks/bulk", new { ids = chunk, action = "queue" }, ct);
    await EnsureAsync(response, "POST /tasks/bulk", ct);
});

// 2. Wait until every task is published; give up (exit 1) when none is for a minute.
var stallLimit = TimeSpan.FromSeconds(int.Parse(Environment.GetEnvironmentVariable("BENCH_STALL_SECONDS") ?? "60", CultureInfo.InvariantCulture));
var lastReport = Stopwatch.StartNew();
var lastProgress = Stopwatch.StartNew();
var lastCount = -1L;
while (true)
{
    var published = await Sql.ScalarAsync<long>(db, "SELECT count(*) FROM tasks WHERE status = 'published'");
    if (published == tasks)
    {
        break;
    }

    if (published != lastCount)
    {
        lastCount = published;
        lastProgress.Restart();
    }
    else if (lastProgress.Elapsed > stallLimit)
    {
        await Console.Error.WriteLineAsync($"no task was published for {stallLimit.TotalSeconds:F0} s ({published} of {tasks}): giving up");
        return 1;
    }

    if (lastReport.Elapsed > TimeSpan.FromSeconds(10))
    {
        Console.WriteLine($"  {published} of {tasks} published");
        lastReport.Restart();
    }

    await Task.Delay(500);
}

var cpu = ProcessCpu.Sample().Where(p => cpuBefore.ContainsKey(p.Key))
    .Select(p => new CpuShare(p.Key, p.Value - cpuBefore[p.Key], queued.Elapsed)).ToList();

// 3. What the database recorded: every transition, with its time; and where PostgreSQL's time went.
var totals = await Sql.TransitionTotalsAsync(db);
var gaps = await Sql.SystemTransitionGapsAsync(db);
var databaseTime = statementTimes ? await Sql.StatementTimesAsync(db, top: 6) : null;

// 4. Listing with everything in the read model.
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

var report = Report.Render(tasks, channels, created.Elapsed, totals, Percentiles.Of(gaps), listingResults, cpu, databaseTime);
Console.WriteLine(report);
if (Environment.GetEnvironmentVariable("BENCH_REPORT") is { Length: > 0 } path)
{
    await File.WriteAllTextAsync(path, report);
}

return 0;

static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken ct)
{
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }
}
