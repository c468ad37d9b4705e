using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Pipeline.Benchmarks.Webhooks;

/// <summary>benchmarks/results/webhooks.md.</summary>
public static class Report
{
    private const double ThroughputTarget = 0.20;
    private const int LatencyTargetRate = 1000;
    private const double LatencyTargetMs = 5;

    public static string Render(Settings settings, EventFactory events, IReadOnlyList<RatePhase> rates, MaxPhase max, long storedOverRun)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var sample = events.Next();
        md.AppendLine(inv, $"## Webhook benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(inv, $"- machine: {Environment.ProcessorCount} cores ({CpuModel()}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; generator, floor, gateway, silo and PostgreSQL (fsync off) all on it");
        md.AppendLine(inv, $"- events: Notion `page.properties_updated` envelopes of {sample.Body.Length} bytes, signed (HMAC-SHA256, `X-Notion-Signature`), each with a new event id, round-robin over {events.Pages} page ids that no channel has; the gateway stores each event id in `notion_events` (a batch per insert) and cues the page grain of a first delivery; NOTION_TOKEN unset on the silo, so the page grain reads nothing from Notion");
        md.AppendLine(inv, $"- gateway: `POST /webhook/notion` with NOTION_WEBHOOK_SECRET set; answers 202 once the event is queued for its batch. floor: `benchmarks/WebhookFloor`, the same Kestrel defaults, reads the body, checks the signature with `NotionWebhookSignature`, answers 202, logs nothing");
        md.AppendLine(inv, $"- open loop: {settings.PhaseLength.TotalSeconds:0} s per rate per target, floor then gateway at each rate, HttpClient (SocketsHttpHandler, HTTP/1.1, up to {settings.OpenLoopConnections} connections); after each gateway phase the run waits until every accepted event is stored");
        md.AppendLine(inv, $"- closed loop: wrk, {settings.WrkThreads} threads, {settings.WrkConnections} connections, {settings.PhaseLength.TotalSeconds:0} s per target, cycling through {max.Floor.Distinct:N0} (floor) and {max.Gateway.Distinct:N0} (gateway) pre-signed requests");
        md.AppendLine();

        var ratio = max.Gateway.PerSecond / max.Floor.PerSecond;
        var storedRatio = max.StoredPerSecond / max.Floor.PerSecond;
        var at = rates.FirstOrDefault(r => r.Rate == LatencyTargetRate);
        md.AppendLine("### Targets");
        md.AppendLine();
        md.AppendLine("| target | measured | met |");
        md.AppendLine("|---|---|---|");
        md.AppendLine(inv, $"| gateway throughput ≥ 20% of the floor's (202s per second, closed loop) | {max.Gateway.PerSecond:N0}/s vs {max.Floor.PerSecond:N0}/s = **{ratio:P0}** | {YesNo(ratio >= ThroughputTarget && max.Gateway.NotAccepted + max.Gateway.SocketErrors == 0)} |");
        md.AppendLine(inv, $"| the same, counting events stored (wrk start to the last one) | {max.StoredPerSecond:N0}/s = {storedRatio:P0} of the floor | {YesNo(storedRatio >= ThroughputTarget)} |");
        md.AppendLine(at is null
            ? $"| p99 time to 202 < {LatencyTargetMs} ms at {LatencyTargetRate:N0} requests/s | not measured (no {LatencyTargetRate} in BENCH_RATES) | — |"
            : string.Create(inv, $"| p99 time to 202 < {LatencyTargetMs:0} ms at {LatencyTargetRate:N0} requests/s (gateway, open loop) | **{at.Gateway.Latency.P99:0.00} ms** (p50 {at.Gateway.Latency.P50:0.00}, {at.Gateway.Errors} errors) | {YesNo(at.Gateway.Latency.P99 < LatencyTargetMs && at.Gateway.Errors == 0)} |"));
        md.AppendLine();

        md.AppendLine("### Max throughput (closed loop, wrk)");
        md.AppendLine();
        md.AppendLine("| | floor | gateway |");
        md.AppendLine("|---|---|---|");
        md.AppendLine(inv, $"| requests/s answered | {max.Floor.PerSecond:N0} | {max.Gateway.PerSecond:N0} |");
        md.AppendLine(inv, $"| p50 / p99 / max (ms, wrk's) | {Ms(max.Floor.LatencyMs)} | {Ms(max.Gateway.LatencyMs)} |");
        md.AppendLine(inv, $"| not 2xx / socket errors | {max.Floor.NotAccepted} / {max.Floor.SocketErrors} | {max.Gateway.NotAccepted} / {max.Gateway.SocketErrors} |");
        md.AppendLine(inv, $"| requests / distinct events | {max.Floor.Requests:N0} / {max.Floor.Distinct:N0} | {max.Gateway.Requests:N0} / {max.Gateway.Distinct:N0}{(max.Gateway.Requests > max.Gateway.Distinct ? " (event ids repeated: those were deduplicated, not stored)" : "")} |");
        md.AppendLine(inv, $"| events stored (`notion_events`) | — | {max.StoredCount:N0}, the last {max.StoredAfter.TotalSeconds:0.0} s after wrk stopped: {max.StoredPerSecond:N0}/s |");
        md.AppendLine(inv, $"| cores used ({CpuLegend(max.FloorCpu, max.GatewayCpu)}) | {Cpu(max.FloorCpu, max.GatewayCpu, max.FloorCpu)} | {Cpu(max.FloorCpu, max.GatewayCpu, max.GatewayCpu)} |");
        md.AppendLine();
        md.AppendLine(inv, $"Over the whole run (warm-up included) {storedOverRun:N0} event ids were stored. \"others\" is what the machine's cores did for processes outside this run (/proc/stat less the processes above). In the wrk columns, CPU seconds are divided by wrk's run time; wrk's own set-up (reading its requests, before its clock starts) counts in its figure and in others'.");
        md.AppendLine();

        md.AppendLine("### Fixed rates (open loop): time to 202");
        md.AppendLine();
        md.AppendLine("Latency is from handing the request to HttpClient (a wait for a free connection included) to the answer; \"lag p99\" is how late the generator started requests against the schedule (the pacer sleeps 1 ms at a time).");
        md.AppendLine();
        md.AppendLine("| rate/s | floor 202/s | floor p50 / p99 / max ms | floor errors | gateway 202/s | gateway p50 / p99 / max ms | gateway errors | all stored, after | lag p99 floor / gateway ms |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rates)
        {
            md.AppendLine(inv, $"| {r.Rate:N0} | {r.Floor.Completed:N0} | {Ms(r.Floor.Latency)} | {r.Floor.Errors} | {r.Gateway.Completed:N0} | {Ms(r.Gateway.Latency)} | {r.Gateway.Errors} | {(r.Stored.All ? "yes" : "**no**")}, {r.Stored.After.TotalSeconds:0.0} s | {r.Floor.GeneratorLag.P99:0.0} / {r.Gateway.GeneratorLag.P99:0.0} |");
        }

        md.AppendLine();
        md.AppendLine(inv, $"Cores used during each open-loop phase ({CpuLegend(rates.SelectMany(r => new[] { r.FloorCpu, r.GatewayCpu }).ToArray())}):");
        md.AppendLine();
        md.AppendLine("| rate/s | floor phase | gateway phase |");
        md.AppendLine("|---|---|---|");
        var all = rates.SelectMany(r => new[] { r.FloorCpu, r.GatewayCpu }).ToArray();
        foreach (var r in rates)
        {
            md.AppendLine(inv, $"| {r.Rate:N0} | {Cpu(all, r.FloorCpu)} | {Cpu(all, r.GatewayCpu)} |");
        }

        md.AppendLine();
        md.AppendLine("### What limits it");
        md.AppendLine();
        md.AppendLine("(written by hand after the run: see benchmarks/README.md)");
        return md.ToString();
    }

    private static string YesNo(bool met) => met ? "yes" : "**no**";

    private static string Ms(Percentiles p) => string.Create(CultureInfo.InvariantCulture, $"{p.P50:0.00} / {p.P99:0.00} / {p.Max:0.0}");

    private static readonly string[] CpuOrder = ["floor", "gateway", "silo", "postgres", "generator", "wrk", "others"];

    private static IEnumerable<string> Names(params IReadOnlyDictionary<string, double>[] phases) =>
        CpuOrder.Where(n => phases.Any(p => p.ContainsKey(n)));

    private static string CpuLegend(params IReadOnlyDictionary<string, double>[] phases) => string.Join(" / ", Names(phases));

    private static string Cpu(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b, IReadOnlyDictionary<string, double> phase) =>
        Cpu([a, b], phase);

    private static string Cpu(IReadOnlyDictionary<string, double>[] all, IReadOnlyDictionary<string, double> phase) =>
        string.Join(" / ", Names(all).Select(n => phase.TryGetValue(n, out var c) ? c.ToString("0.00", CultureInfo.InvariantCulture) : "—"));

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
}
