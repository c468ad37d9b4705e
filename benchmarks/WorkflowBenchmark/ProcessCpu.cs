using System.Globalization;

namespace Pipeline.Benchmarks.Workflow;

/// <summary>CPU one process used over a stretch of wall time.</summary>
public sealed record CpuShare(string Process, TimeSpan Used, TimeSpan Elapsed);

/// <summary>
/// CPU time used so far by the processes the runner names (<c>BENCH_SILO_PID</c>, <c>BENCH_GATEWAY_PID</c>,
/// <c>BENCH_PG_PID</c>: PostgreSQL's postmaster, counted with its backends) and by this driver, from /proc.
/// Two samples give each one's share of the machine between them: what the run was limited by.
/// </summary>
public static class ProcessCpu
{
    // USER_HZ: the unit of /proc/<pid>/stat times, 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    /// <summary>CPU time by process name; empty where /proc cannot be read (not Linux).</summary>
    public static Dictionary<string, TimeSpan> Sample()
    {
        var sample = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        if (!OperatingSystem.IsLinux())
        {
            return sample;
        }

        AddProcess(sample, "silo", Pid("BENCH_SILO_PID"));
        AddProcess(sample, "gateway", Pid("BENCH_GATEWAY_PID"));
        if (Pid("BENCH_PG_PID") is { } postmaster && Read($"/proc/{postmaster}/stat") is { } server)
        {
            // The postmaster's own time, its exited children's (cutime/cstime) and every backend still running.
            var ticks = server.Own + server.Children;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid) && Read($"/proc/{pid}/stat") is { } process && process.Parent == postmaster)
                {
                    ticks += process.Own;
                }
            }

            sample["PostgreSQL"] = TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }

        AddProcess(sample, "driver", Environment.ProcessId);
        return sample;
    }

    /// <summary>
    /// CPU ticks so far of each of the silo's tiered-compilation threads, by thread id: where the JIT compiles hot
    /// methods again at their final tier. Null where /proc cannot say.
    /// </summary>
    public static Dictionary<string, long>? SiloJitThreads()
    {
        if (!OperatingSystem.IsLinux() || Pid("BENCH_SILO_PID") is not { } pid)
        {
            return null;
        }

        var threads = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var thread in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                if (File.ReadAllText(Path.Combine(thread, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal)
                    && Read(Path.Combine(thread, "stat")) is { } jit)
                {
                    threads[Path.GetFileName(thread)] = jit.Own;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A thread ended while being read: the next look sees the rest.
        }

        return threads;
    }

    /// <summary>Seconds in the ticks of <see cref="SiloJitThreads"/>.</summary>
    public static TimeSpan FromTicks(long ticks) => TimeSpan.FromSeconds(ticks / TicksPerSecond);

    private static void AddProcess(Dictionary<string, TimeSpan> sample, string name, int? pid)
    {
        if (pid is { } id && Read($"/proc/{id}/stat") is { } process)
        {
            sample[name] = TimeSpan.FromSeconds(process.Own / TicksPerSecond);
        }
    }

    private static int? Pid(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    /// <summary>A process's or a thread's <c>stat</c>: its parent, its own CPU ticks, its exited children's.</summary>
    private static (int Parent, long Own, long Children)? Read(string statPath)
    {
        string text;
        try
        {
            text = File.ReadAllText(statPath);
        }
        catch (IOException)
        {
            return null; // gone meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The name (in parentheses) may hold spaces; the fields after it start with the state (field 3).
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return ((int)Field(4), Field(14) + Field(15), Field(16) + Field(17));
    }
}
