using System.Globalization;

namespace Pipeline.Benchmarks.Workflow;

/// <summary>
/// The warm-up rounds before the measured ones, with the CPU the silo's tiered-compilation thread used in each
/// (null where /proc could not say) and during the measured rounds: how warmed up the measured silo was.
/// </summary>
public sealed record WarmUp(int TasksPerRound, IReadOnlyList<TimeSpan?> JitPerRound, TimeSpan SettledBelow, TimeSpan? JitDuringRounds)
{
    public string Describe()
    {
        if (JitPerRound.Count == 0)
        {
            return "none";
        }

        var rounds = string.Join(", ", JitPerRound.Select(Seconds));
        return string.Create(CultureInfo.InvariantCulture,
            $"{JitPerRound.Count} round(s) of {TasksPerRound:N0} other tasks through the whole workflow on the same silo (not measured; they stay in the read model), "
            + $"until a round left the silo's tiered-compilation thread under {SettledBelow.TotalSeconds:F2} s of CPU: it used {rounds} in them, "
            + $"and {Seconds(JitDuringRounds)} during the measured rounds");
    }

    /// <summary>A JIT time as the report and the console give it.</summary>
    public static string Seconds(TimeSpan? time) =>
        time is { } t ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F2} s") : "(unknown)";
}
