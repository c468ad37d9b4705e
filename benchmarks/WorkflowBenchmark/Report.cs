using System.Globalization;
using System.Text;
using Npgsql;

namespace Pipeline.Benchmarks.Workflow;

public static class Report
{
    /// <summary>How the silo reaches PostgreSQL: a unix socket spares each statement the TCP stack, which shows in the figures.</summary>
    private static string Transport(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Host is { } host && host.StartsWith('/')
            ? "over its unix socket"
            : "over TCP";

    public static string Render(
        int tasks, WarmUp warmup, long inReadModel, int channels, string database, IReadOnlyList<MeasuredRound> rounds, Percentiles perTransition,
        IReadOnlyList<(string Name, Percentiles Latency)> listings, StateTableWrites stateWrites, IReadOnlyList<StatementTime>? databaseTime)
    {
        var middle = MeasuredRound.Middle(rounds);
        var transitions = rounds.Sum(r => r.Totals.Transitions);
        var cpu = MeasuredRound.CpuOf(rounds);
        var creation = TimeSpan.FromTicks(rounds.Sum(r => r.Creation.Ticks));
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Workflow benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- {rounds.Count} measured round(s) of {tasks:N0} tasks on {channels} channels, one after another on the same silo, instant executor, all gates auto-approved (every status visited), queued all at once by POST /tasks/bulk, one silo, PostgreSQL on the same machine ({Transport(database)})");
        text.AppendLine(CultureInfo.InvariantCulture, $"- warm-up before the measured rounds: {warmup.Describe()}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- creating each round's tasks in draft before queueing them (POST /tasks, 32 at a time; not part of the transition figures): {creation.TotalSeconds:F1} s in all ({rounds.Count * tasks / creation.TotalSeconds:F0}/s)");
        text.AppendLine();
        text.AppendLine("| measure | value | target |");
        text.AppendLine("|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| persisted transitions, middle round | {middle.Totals.Transitions:N0} in {middle.Totals.Span.TotalSeconds:F1} s | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| transitions per second (state + history + read model), middle round | **{middle.Rate:N0}/s** | ≥ 13,000/s |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| per transition p50 / p99 / max, all rounds | {perTransition.P50:F1} / {perTransition.P99:F1} / {perTransition.Max:F0} ms | |");
        foreach (var (name, latency) in listings)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| GET /tasks ({name}) p50 / p99 at {inReadModel:N0} tasks | {latency.P50:F1} / {latency.P99:F1} ms | < 20 ms |");
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"| grain-state row updates (HOT) / TOAST chunks written, all rounds | {stateWrites.Updates:N0} ({stateWrites.HotUpdates:N0}) / {stateWrites.ToastChunks:N0} | |");
        text.AppendLine();
        text.AppendLine("Each round, from queueing its tasks to the last publication; CPU per transition from /proc:");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| round | transitions | time | per second | {string.Join(" | ", cpu.Select(c => c.Process))} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"|---|---|---|---|{string.Concat(cpu.Select(_ => "---|"))}");
        foreach (var round in rounds)
        {
            var perTransitionCpu = cpu.Select(c => round.Cpu.FirstOrDefault(r => r.Process == c.Process) is { } used
                ? string.Create(CultureInfo.InvariantCulture, $"{used.Used.TotalMicroseconds / Math.Max(1, round.Totals.Transitions):F0} µs")
                : "");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {round.Number}{(round == middle ? " (middle)" : "")} | {round.Totals.Transitions:N0} | {round.Totals.Span.TotalSeconds:F1} s | {round.Rate:N0}/s | {string.Join(" | ", perTransitionCpu)} |");
        }

        text.AppendLine();
        if (cpu.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"CPU over all the rounds, from queueing to the last publication ({cpu[0].Elapsed.TotalSeconds:F1} s, {Environment.ProcessorCount} cores), from /proc:");
            text.AppendLine();
            text.AppendLine("| process | CPU | cores on average | per transition |");
            text.AppendLine("|---|---|---|---|");
            foreach (var share in cpu)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {share.Process} | {share.Used.TotalSeconds:F1} s | {share.Used / share.Elapsed:F2} | {share.Used.TotalMicroseconds / Math.Max(1, transitions):F0} µs |");
            }

            text.AppendLine();
        }

        if (databaseTime is null)
        {
            text.AppendLine("PostgreSQL's time per statement: not measured (the server did not load pg_stat_statements).");
            return text.ToString();
        }

        // Time in the backend as the server counts it: on a busy machine that includes waiting for a core,
        // so it ranks the statements rather than giving each one's CPU.
        text.AppendLine("Where PostgreSQL's time went, all rounds, from queueing the tasks to the last publication (pg_stat_statements, top statements):");
        text.AppendLine();
        text.AppendLine("| statement | calls | rows | total | per call | per transition | buffer pages per call |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var statement in databaseTime)
        {
            var shown = statement.Statement.Length > 80 ? statement.Statement[..80] + "…" : statement.Statement;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| `{shown.Replace("|", "\\|", StringComparison.Ordinal)}` | {statement.Calls:N0} | {statement.Rows:N0} | {statement.TotalMs / 1000:F1} s | {statement.TotalMs * 1000 / Math.Max(1, statement.Calls):F0} µs | {statement.TotalMs * 1000 / Math.Max(1, transitions):F0} µs | {(double)statement.Blocks / Math.Max(1, statement.Calls):F1} |");
        }

        return text.ToString();
    }
}
