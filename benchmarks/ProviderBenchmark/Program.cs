// Queues videos on a running pipeline whose silos use the simulated executor (provider calls of set
// latencies through the real limiter grains), waits until all are published, then measures the limiter
// from the calls the silos recorded. Started by benchmarks/providers.sh; see benchmarks/README.md.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Pipeline.Benchmarks.Providers;

var gateway = Environment.GetEnvironmentVariable("BENCH_GATEWAY_URL") ?? "http://127.0.0.1:5080";
var token = Environment.GetEnvironmentVariable("PIPELINE_ADMIN_TOKEN") ?? throw new InvalidOperationException("PIPELINE_ADMIN_TOKEN");
var database = Environment.GetEnvironmentVariable("PIPELINE_DB") ?? throw new InvalidOperationException("PIPELINE_DB");
var callsFolder = Environment.GetEnvironmentVariable("BENCH_CALLS_DIR") ?? throw new InvalidOperationException("BENCH_CALLS_DIR");
var settings = new RunSettings(
    Channels: Int("BENCH_CHANNELS", 20),
    VideosPerChannel: Int("BENCH_VIDEOS", 25),
    MaxConcurrentVideos: Int("BENCH_MAX_VIDEOS", 25),
    Silos: Int("BENCH_SILOS", 1),
    Slots: new Dictionary<string, int> { ["gemini"] = Int("BENCH_GEMINI_SLOTS", 12), ["kling"] = Int("BENCH_KLING_SLOTS", 8), ["elevenlabs"] = Int("BENCH_ELEVENLABS_SLOTS", 6) },
    LatencyMs: Latencies(Environment.GetEnvironmentVariable("PIPELINE_SIMULATED_LATENCY_MS") ?? "gemini=50,kling=300,elevenlabs=30,local=0"),
    Bottleneck: "kling",
    FairnessWindow: TimeSpan.FromSeconds(5));

using var http = new HttpClient { BaseAddress = new Uri(gateway), Timeout = TimeSpan.FromMinutes(2) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
await using var db = NpgsqlDataSource.Create(database);

// 1. Every video queued at once through the admin API, channels interleaved so none starts ahead.
var plan = JsonDocument.Parse(SamplePlan.Json).RootElement;
Console.WriteLine($"queueing {settings.Videos} videos on {settings.Channels} channels...");
var queueing = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, settings.Videos), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
{
    using var response = await http.PostAsJsonAsync("/tasks", new
    {
        id = $"video-{i:D4}",
        channel_id = $"bench-{i % settings.Channels:D2}",
        title = $"Benchmark video {i}",
        plan,
        queue = true,
    }, ct);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"POST /tasks: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }
});
queueing.Stop();

// 2. Until every one is published (an error status would never finish: stop and say so).
var lastReport = Stopwatch.StartNew();
var deadline = Stopwatch.StartNew();
while (true)
{
    var published = await Sql.CountAsync(db, "status = 'published'");
    if (published == settings.Videos)
    {
        break;
    }

    if (await Sql.ErrorsAsync(db) is { Count: > 0 } errors)
    {
        throw new InvalidOperationException($"tasks failed: {string.Join("; ", errors)}");
    }

    if (deadline.Elapsed > TimeSpan.FromMinutes(15))
    {
        throw new TimeoutException($"only {published} of {settings.Videos} published after 15 minutes");
    }

    if (lastReport.Elapsed > TimeSpan.FromSeconds(10))
    {
        Console.WriteLine($"  {published} of {settings.Videos} published");
        lastReport.Restart();
    }

    await Task.Delay(200);
}

// 3. The figures, from the calls the silos recorded and the history the tasks wrote.
var calls = Call.ReadAll(callsFolder);
var videos = await Sql.VideosAsync(db);
var expected = settings.Videos * SamplePlan.Calls;
if (calls.Count != expected)
{
    Console.WriteLine($"warning: {calls.Count} calls recorded, {expected} expected (a step ran twice, or a record is missing)");
}

var report = Report.Render(
    settings,
    queueing.Elapsed,
    Measures.Bottleneck(calls, settings),
    Measures.Makespan(calls, videos, settings),
    Measures.Fairness(calls, videos, settings),
    Measures.PerProvider(calls, settings));
Console.WriteLine(report);
if (Environment.GetEnvironmentVariable("BENCH_REPORT") is { Length: > 0 } path)
{
    await File.WriteAllTextAsync(path, report);
}

static int Int(string name, int fallback) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

static Dictionary<string, double> Latencies(string text) =>
    text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(pair => pair.Split('=', 2, StringSplitOptions.TrimEntries))
        .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
