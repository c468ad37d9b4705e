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
    Warmup: Int("BENCH_WARMUP", 1),
    Slots: new Dictionary<string, int> { ["gemini"] = Int("BENCH_GEMINI_SLOTS", 12), ["kling"] = Int("BENCH_KLING_SLOTS", 8), ["elevenlabs"] = Int("BENCH_ELEVENLABS_SLOTS", 6) },
    LatencyMs: Latencies(Environment.GetEnvironmentVariable("PIPELINE_SIMULATED_LATENCY_MS") ?? "gemini=50,kling=300,elevenlabs=30,local=0"),
    Bottleneck: "kling",
    FairnessWindow: TimeSpan.FromSeconds(5));

using var http = new HttpClient { BaseAddress = new Uri(gateway), Timeout = TimeSpan.FromMinutes(2) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
await using var db = NpgsqlDataSource.Create(database);

// 1. A warm-up round (one video per channel, not measured): the silo has compiled and activated what it
// needs, as a running cluster has, so the measured run's first minute is not JIT and cold grains.
var warmup = settings.Warmup * settings.Channels;
if (warmup > 0)
{
    Console.WriteLine($"warming up with {warmup} videos...");
    await QueueAsync(http, Enumerable.Range(0, warmup).Select(i => ($"warmup-{i:D4}", $"bench-{i % settings.Channels:D2}")));
    await WaitPublishedAsync(db, "warmup-", warmup);
}

// 2. Every measured video queued at once through the admin API, channels interleaved so none starts ahead.
Console.WriteLine($"queueing {settings.Videos} videos on {settings.Channels} channels...");
var queueing = Stopwatch.StartNew();
await QueueAsync(http, Enumerable.Range(0, settings.Videos).Select(i => ($"video-{i:D4}", $"bench-{i % settings.Channels:D2}")));
queueing.Stop();
await WaitPublishedAsync(db, "video-", settings.Videos);

// 3. The figures, from the calls the silos recorded and the history the tasks wrote.
var calls = Call.ReadAll(callsFolder).Where(c => c.Task.StartsWith("video-", StringComparison.Ordinal)).ToList();
var videos = await Sql.VideosAsync(db, "video-");
var expected = settings.Videos * SamplePlan.Calls;
if (calls.Count != expected)
{
    Console.WriteLine($"warning: {calls.Count} calls recorded, {expected} expected (a step ran twice, or a record is missing)");
}

var report = Report.Render(
    settings,
    queueing.Elapsed,
    Measures.Bottleneck(calls, settings),
    Measures.Timeline(calls, videos, settings),
    Measures.Makespan(calls, videos, settings),
    Measures.Fairness(calls, videos, settings),
    Measures.PerProvider(calls, settings));
Console.WriteLine(report);
if (Environment.GetEnvironmentVariable("BENCH_REPORT") is { Length: > 0 } path)
{
    await File.WriteAllTextAsync(path, report);
}

static async Task QueueAsync(HttpClient http, IEnumerable<(string Id, string Channel)> videos)
{
    var plan = JsonDocument.Parse(SamplePlan.Json).RootElement;
    await Parallel.ForEachAsync(videos, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (video, ct) =>
    {
        using var response = await http.PostAsJsonAsync("/tasks", new
        {
            id = video.Id,
            channel_id = video.Channel,
            title = $"Benchmark {video.Id}",
            plan,
            queue = true,
        }, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /tasks: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    });
}

// Until every one is published; an error status would never finish, so that stops the run with its errors.
static async Task WaitPublishedAsync(NpgsqlDataSource db, string prefix, int count)
{
    var lastReport = Stopwatch.StartNew();
    var deadline = Stopwatch.StartNew();
    while (true)
    {
        var published = await Sql.PublishedAsync(db, prefix);
        if (published == count)
        {
            return;
        }

        if (await Sql.ErrorsAsync(db) is { Count: > 0 } errors)
        {
            throw new InvalidOperationException($"tasks failed: {string.Join("; ", errors)}");
        }

        if (deadline.Elapsed > TimeSpan.FromMinutes(15))
        {
            throw new TimeoutException($"only {published} of {count} published after 15 minutes");
        }

        if (lastReport.Elapsed > TimeSpan.FromSeconds(10))
        {
            Console.WriteLine($"  {published} of {count} published");
            lastReport.Restart();
        }

        await Task.Delay(200);
    }
}

static int Int(string name, int fallback) =>
    Environment.GetEnvironmentVariable(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

static Dictionary<string, double> Latencies(string text) =>
    text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(pair => pair.Split('=', 2, StringSplitOptions.TrimEntries))
        .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
