namespace Pipeline.Benchmarks.Workflow;

/// <summary>One measured round: its tasks created in draft, then queued at once and driven to publication, with the CPU each process used meanwhile.</summary>
public sealed record MeasuredRound(int Number, TimeSpan Creation, TransitionTotals Totals, IReadOnlyList<CpuShare> Cpu)
{
    public double Rate => Totals.Transitions / Totals.Span.TotalSeconds;

    /// <summary>The round whose rate is in the middle (the slower of the two middle ones for an even count): the figure the report leads with.</summary>
    public static MeasuredRound Middle(IReadOnlyList<MeasuredRound> rounds) => rounds.OrderBy(r => r.Rate).ElementAt((rounds.Count - 1) / 2);

    /// <summary>Each process's CPU over all the rounds together.</summary>
    public static IReadOnlyList<CpuShare> CpuOf(IReadOnlyList<MeasuredRound> rounds) =>
        [.. rounds.SelectMany(r => r.Cpu).GroupBy(c => c.Process)
            .Select(g => new CpuShare(g.Key, TimeSpan.FromTicks(g.Sum(c => c.Used.Ticks)), TimeSpan.FromTicks(g.Sum(c => c.Elapsed.Ticks))))];
}
