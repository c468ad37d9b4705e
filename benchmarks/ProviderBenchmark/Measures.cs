namespace Pipeline.Benchmarks.Providers;

/// <summary>The report's figures, from the call records and the tasks' history.</summary>
public static class Measures
{
    public static BottleneckUse Bottleneck(IReadOnlyList<Call> calls, RunSettings settings)
    {
        var slots = settings.Slots[settings.Bottleneck];
        var mine = calls.Where(c => c.Provider == settings.Bottleneck).ToList();
        var waiting = Intervals.Union(mine.Select(c => (c.RequestedAt, c.GrantedAt)));
        var busy = TimeSpan.Zero;
        var running = 0;
        foreach (var call in mine)
        {
            var inside = waiting.Overlap(call.StartedAt, call.EndedAt);
            busy += inside;
            running += inside > TimeSpan.Zero ? 1 : 0;
        }

        var first = mine.Min(c => c.RequestedAt);
        var last = mine.Max(c => c.EndedAt);
        var active = TimeSpan.FromTicks(mine.Sum(c => (c.EndedAt - c.StartedAt).Ticks)) / ((last - first) * slots);
        return new BottleneckUse(waiting.Length, busy, slots, running, active);
    }

    public static Timeline Timeline(IReadOnlyList<Call> calls, IReadOnlyList<Video> videos, RunSettings settings)
    {
        var slots = settings.Slots[settings.Bottleneck];
        var mine = calls.Where(c => c.Provider == settings.Bottleneck).ToList();
        var firstRequest = mine.Min(c => c.RequestedAt);
        var lastEnd = mine.Max(c => c.EndedAt);

        // The running count over time: when it first reached every slot, and when it last left that.
        var events = mine.SelectMany(c => new[] { (At: c.StartedAt, Delta: +1), (At: c.EndedAt, Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta);
        DateTime? firstFull = null, lastFull = null;
        var open = 0;
        foreach (var (at, delta) in events)
        {
            if (open == slots && delta < 0)
            {
                lastFull = at;
            }

            open += delta;
            if (open == slots)
            {
                firstFull ??= at;
            }
        }

        var busy = TimeSpan.FromTicks(mine.Sum(c => (c.EndedAt - c.StartedAt).Ticks));
        return new Timeline(
            firstRequest - videos.Min(v => v.QueuedAt),
            lastEnd - firstRequest,
            videos.Max(v => v.PublishedAt) - lastEnd,
            (firstFull ?? lastEnd) - firstRequest,
            lastEnd - (lastFull ?? firstRequest),
            ((lastEnd - firstRequest) * slots) - busy);
    }

    public static Makespan Makespan(IReadOnlyList<Call> calls, IReadOnlyList<Video> videos, RunSettings settings)
    {
        var slots = settings.Slots[settings.Bottleneck];
        var mine = calls.Where(c => c.Provider == settings.Bottleneck).ToList();
        var measured = videos.Max(v => v.PublishedAt) - videos.Min(v => v.QueuedAt);
        var work = TimeSpan.FromMilliseconds(mine.Count * settings.Latency(settings.Bottleneck)) / slots;
        var measuredWork = TimeSpan.FromTicks(mine.Sum(c => (c.EndedAt - c.StartedAt).Ticks)) / slots;

        // The plan's order: assets, then composites (images), the clips, then narration, then effects (speech), then assembly.
        var before = TimeSpan.FromMilliseconds(2 * settings.Latency("gemini"));
        var after = TimeSpan.FromMilliseconds((2 * settings.Latency("elevenlabs")) + settings.Latency("local"));

        var byTask = mine.GroupBy(c => c.Task).ToDictionary(g => g.Key, g => (First: g.Min(c => c.RequestedAt), Last: g.Max(c => c.EndedAt)));
        var shortestBefore = videos.Where(v => byTask.ContainsKey(v.TaskId)).Min(v => byTask[v.TaskId].First - v.QueuedAt);
        var shortestAfter = videos.Where(v => byTask.ContainsKey(v.TaskId)).Min(v => v.PublishedAt - byTask[v.TaskId].Last);
        return new Makespan(measured, work, before, after, measuredWork, shortestBefore, shortestAfter);
    }

    public static Fairness Fairness(IReadOnlyList<Call> calls, IReadOnlyList<Video> videos, RunSettings settings)
    {
        var start = videos.Min(v => v.QueuedAt);
        var meanFinish = videos.GroupBy(v => v.Channel).OrderBy(g => g.Key)
            .Select(g => g.Average(v => (v.PublishedAt - start).TotalSeconds)).ToList();

        // Windows from the first grant until the first channel has asked for its last call: until then every
        // channel still has work for the bottleneck, so an equal share of its grants is what fairness means.
        var mine = calls.Where(c => c.Provider == settings.Bottleneck).ToList();
        var channels = mine.Select(c => c.Channel).Distinct().ToList();
        var from = mine.Min(c => c.GrantedAt);
        var until = mine.GroupBy(c => c.Channel).Min(g => g.Max(c => c.RequestedAt));
        var windows = new List<double>();
        for (var at = from; at + settings.FairnessWindow <= until; at += settings.FairnessWindow)
        {
            var end = at + settings.FairnessWindow;
            var counts = channels.Select(ch => (double)mine.Count(c => c.Channel == ch && c.GrantedAt >= at && c.GrantedAt < end)).ToList();
            windows.Add(Providers.Fairness.Jain(counts));
        }

        return new Fairness(meanFinish, windows);
    }

    public static List<ProviderFigures> PerProvider(IReadOnlyList<Call> calls, RunSettings settings) =>
    [
        .. calls.GroupBy(c => c.Provider).OrderBy(g => g.Key).Select(g => new ProviderFigures(
            g.Key,
            g.Count(),
            settings.Slots.TryGetValue(g.Key, out var slots) ? slots : null,
            Intervals.MaxOverlap(g.Select(c => (c.StartedAt, c.EndedAt))),
            Intervals.MaxOverlap(g.Select(c => (c.GrantedAt, c.EndedAt))),
            Percentiles.Of(g.Select(c => c.Wait.TotalMilliseconds)),
            Percentiles.Of(g.Select(c => (c.EndedAt - c.StartedAt).TotalMilliseconds)),
            Percentiles.Of(g.Select(c => (c.ReleasedAt - c.EndedAt).TotalMilliseconds)))),
    ];
}
