namespace Pipeline.Benchmarks.Providers;

/// <summary>A union of half-open time intervals [Start, End), kept sorted and disjoint.</summary>
public sealed class Intervals
{
    private readonly List<(DateTime Start, DateTime End)> _merged;

    private Intervals(List<(DateTime Start, DateTime End)> merged) => _merged = merged;

    public IReadOnlyList<(DateTime Start, DateTime End)> Parts => _merged;

    public TimeSpan Length => TimeSpan.FromTicks(_merged.Sum(p => (p.End - p.Start).Ticks));

    public static Intervals Union(IEnumerable<(DateTime Start, DateTime End)> intervals)
    {
        var merged = new List<(DateTime Start, DateTime End)>();
        foreach (var (start, end) in intervals.Where(i => i.End > i.Start).OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, end > merged[^1].End ? end : merged[^1].End);
            }
            else
            {
                merged.Add((start, end));
            }
        }

        return new Intervals(merged);
    }

    /// <summary>How much of [start, end) lies inside the union.</summary>
    public TimeSpan Overlap(DateTime start, DateTime end)
    {
        // The first part that ends after start; parts are disjoint and sorted, so binary search on End.
        int lo = 0, hi = _merged.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_merged[mid].End <= start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        long ticks = 0;
        for (var i = lo; i < _merged.Count && _merged[i].Start < end; i++)
        {
            var from = _merged[i].Start > start ? _merged[i].Start : start;
            var to = _merged[i].End < end ? _merged[i].End : end;
            ticks += Math.Max(0, (to - from).Ticks);
        }

        return TimeSpan.FromTicks(ticks);
    }

    /// <summary>The most intervals open at once (an end at the same instant as a start closes first).</summary>
    public static int MaxOverlap(IEnumerable<(DateTime Start, DateTime End)> intervals)
    {
        var events = intervals
            .SelectMany(i => new[] { (At: i.Start, Delta: +1), (At: i.End, Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta);
        int open = 0, most = 0;
        foreach (var (_, delta) in events)
        {
            open += delta;
            most = Math.Max(most, open);
        }

        return most;
    }
}
