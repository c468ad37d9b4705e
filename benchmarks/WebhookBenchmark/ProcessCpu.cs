using System.Globalization;

namespace Pipeline.Benchmarks.Webhooks;

/// <summary>
/// CPU seconds a process (and, for PostgreSQL, its backends) has used, from /proc: per-phase differences show which
/// process the two cores went to.
/// </summary>
public static class ProcessCpu
{
    // USER_HZ is 100 on every Linux this runs on; /proc/PID/stat counts in it.
    private const double TicksPerSecond = 100;

    /// <summary>CPU seconds of <paramref name="pid"/>, plus its live children's when <paramref name="withChildren"/>; null when it is gone.</summary>
    public static double? Seconds(int pid, bool withChildren = false)
    {
        if (Ticks(pid) is not { } own)
        {
            return null;
        }

        var total = own.Total;
        if (withChildren)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child)
                    && Ticks(child) is { } stat && stat.Parent == pid)
                {
                    total += stat.Total;
                }
            }
        }

        return total / TicksPerSecond;
    }

    private static (int Parent, long Total)? Ticks(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name may hold spaces; the fields after it start behind the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long At(int field) => long.Parse(fields[field - 3], CultureInfo.InvariantCulture);
        // utime, stime, and the CPU of children already waited for (exited backends count with the postmaster).
        return ((int)At(4), At(14) + At(15) + At(16) + At(17));
    }
}
