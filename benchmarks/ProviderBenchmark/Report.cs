using System.Globalization;
using System.Text;

namespace Pipeline.Benchmarks.Providers;

public static class Report
{
    public static string Render(
        RunSettings settings, TimeSpan queueing, BottleneckUse use, Timeline timeline, Makespan makespan, Fairness fairness, IReadOnlyList<ProviderFigures> providers)
    {
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        static string Pass(bool ok) => ok ? "met" : "**missed**";

        Line($"## Provider limits benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        Line($"- machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; PostgreSQL, {settings.Silos} silo(s), the gateway and this driver on the same machine");
        Line($"- {settings.Channels} channels × {settings.VideosPerChannel} videos = {settings.Videos} videos; every channel weight 1, every gate auto-approved, max_concurrent_videos {settings.MaxConcurrentVideos}");
        Line($"- a plan per video of 2 assets and 3 scenes, each scene narrated with a sound effect: 5 images, 3 clips, 6 speech calls and an assembly");
        Line($"- simulated executor (PIPELINE_STEP_EXECUTOR=simulated) through the real limiter grains: {string.Join(", ", settings.LatencyMs.Select(l => $"{l.Key} {l.Value:0} ms"))} per call; slots {string.Join(", ", settings.Slots.Select(s => $"{s.Key} {s.Value}"))}");
        Line($"- after a warm-up round of {settings.Warmup} video(s) per channel (published before the measured run; not counted), the measured videos queued through POST /tasks (queue=true, 32 at a time, channels interleaved) in {queueing.TotalSeconds:F1} s");
        text.AppendLine();
        text.AppendLine("| measure | value | target | |");
        text.AppendLine("|---|---|---|---|");
        Line($"| {settings.Bottleneck} slot utilisation while work waits for it | **{use.Utilisation:P1}** ({use.Busy.TotalSeconds:F1} slot-s busy of {use.Slots} × {use.Waiting.TotalSeconds:F2} s waiting) | ≥ 97% | {Pass(use.Utilisation >= 0.97)} |");
        Line($"| makespan / lower bound | **{makespan.Ratio:F3}×** ({makespan.Measured.TotalSeconds:F2} s / {makespan.LowerBound.TotalSeconds:F2} s) | ≤ 1.05× | {Pass(makespan.Ratio <= 1.05)} |");
        Line($"| Jain's index, per-channel mean completion time | **{fairness.FinishIndex:F4}** | ≥ 0.99 | {Pass(fairness.FinishIndex >= 0.99)} |");
        var limitsHeld = providers.All(p => p.Slots is null || (p.MostRunning == p.Slots && p.MostHeld <= p.Slots));
        Line($"| highest concurrency = limit, never more | {string.Join(", ", providers.Where(p => p.Slots is not null).Select(p => $"{p.Provider} {p.MostRunning}/{p.Slots}"))} | = limit | {Pass(limitsHeld)} |");
        text.AppendLine();
        text.AppendLine("Definitions:");
        Line($"- **utilisation**: over the times at which at least one {settings.Bottleneck} call had been requested and not yet granted (the job's view of \"granted\": the lease in hand), the slot-time in which calls were running (started to ended) divided by {use.Slots} × that time. Lease hand-overs count as idle. Over the whole active span (first request to last end) it is {use.ActiveUtilisation:P1}. Idle slot-time per call in the waiting time: {use.IdlePerCallMs:F1} ms.");
        Line($"- **lower bound**: the {settings.Bottleneck} calls × {settings.Latency(settings.Bottleneck):0} ms / {use.Slots} slots = {makespan.Work.TotalSeconds:F2} s, plus the least a video needs before its first clip (assets then composites: {makespan.Before.TotalMilliseconds:0} ms) and after its last (narration then effects then assembly: {makespan.After.TotalMilliseconds:0} ms); provider latency only, no workflow cost. Measured for comparison: the calls' actual lengths / slots = {makespan.MeasuredWork.TotalSeconds:F2} s; the shortest queue-to-first-clip-request {makespan.ShortestBefore.TotalMilliseconds:0} ms and last-clip-end-to-publish {makespan.ShortestAfter.TotalMilliseconds:0} ms (workflow transitions included).");
        Line($"- **fairness**: Jain's index (Σx)²/(n·Σx²) over the {settings.Channels} channels of x = the mean, over a channel's videos, of the time from the first queueing to the video's publication (min {fairness.MeanFinish.Min():F2} s, max {fairness.MeanFinish.Max():F2} s). Also, Jain's index of each channel's {settings.Bottleneck} grants in {settings.FairnessWindow.TotalSeconds:0}-s windows while every channel still had {settings.Bottleneck} work to come: mean {fairness.WindowMean:F4}, worst {fairness.WindowMin:F4} over {fairness.Windows.Count} windows.");
        Line($"- **where the makespan went**: first queueing to the first {settings.Bottleneck} request {timeline.BeforeFirstRequest.TotalSeconds:F2} s; first {settings.Bottleneck} request to the last call's end {timeline.Span.TotalSeconds:F2} s (all {use.Slots} slots first busy after {timeline.Ramp.TotalSeconds:F2} s, last all busy {timeline.Tail.TotalSeconds:F2} s before the end; idle slot-time in the span {timeline.IdleSlotTime.TotalSeconds:F1} slot-s = {(timeline.IdleSlotTime / use.Slots).TotalSeconds:F2} s of the span); last {settings.Bottleneck} end to the last publication {timeline.AfterLastEnd.TotalSeconds:F2} s.");
        text.AppendLine();
        text.AppendLine("| provider | calls | slots | most running | most held | lease wait p50 / p99 / max | call p50 / p99 | release p50 / p99 |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var p in providers)
        {
            Line($"| {p.Provider} | {p.Calls} | {(p.Slots is { } s ? s.ToString(CultureInfo.InvariantCulture) : "cores (no lease)")} | {p.MostRunning} | {p.MostHeld} | {p.WaitMs.P50:F1} / {p.WaitMs.P99:F1} / {p.WaitMs.Max:F0} ms | {p.CallMs.P50:F1} / {p.CallMs.P99:F1} ms | {p.ReleaseMs.P50:F1} / {p.ReleaseMs.P99:F1} ms |");
        }

        text.AppendLine();
        text.AppendLine("\"Most running\": calls between start and end at once; \"most held\": from the grant reaching the job to the call's end (inside the limiter's lease, which also covers the release's trip).");
        return text.ToString();
    }
}
