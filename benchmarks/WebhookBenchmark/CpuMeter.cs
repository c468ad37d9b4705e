using System.Diagnostics;

namespace Pipeline.Benchmarks.Webhooks;

/// <summary>Cores each process used over a phase (CPU seconds / wall seconds), the benchmark itself included.</summary>
public sealed class CpuMeter
{
    private readonly IReadOnlyDictionary<string, int> _processes;
    private readonly int _postgres;
    private readonly Dictionary<string, double> _before;
    private readonly long _start;

    private CpuMeter(IReadOnlyDictionary<string, int> processes, int postgres)
    {
        _processes = processes;
        _postgres = postgres;
        _before = Read();
        _start = Stopwatch.GetTimestamp();
    }

    public static CpuMeter Start(Settings settings) => new(settings.Processes, settings.PostgresPid);

    /// <param name="extra">CPU seconds of processes that are gone by now (wrk), by name.</param>
    /// <param name="loaded">How long the load ran, when less than the time since the start (wrk reads its requests first).</param>
    public IReadOnlyDictionary<string, double> Stop(IReadOnlyDictionary<string, double>? extra = null, TimeSpan? loaded = null)
    {
        var seconds = (loaded ?? Stopwatch.GetElapsedTime(_start)).TotalSeconds;
        var after = Read();
        var cores = after.ToDictionary(kv => kv.Key, kv => (kv.Value - _before.GetValueOrDefault(kv.Key)) / seconds);
        foreach (var (name, cpu) in extra ?? new Dictionary<string, double>())
        {
            cores[name] = cpu / seconds;
        }

        // The machine is shared: what its cores did beyond this run's processes is reported, not hidden.
        if (cores.Remove(Machine, out var busy))
        {
            cores["others"] = Math.Max(0, busy - cores.Values.Sum());
        }

        return cores;
    }

    private Dictionary<string, double> Read()
    {
        var seconds = new Dictionary<string, double>();
        foreach (var (name, pid) in _processes)
        {
            if (ProcessCpu.Seconds(pid) is { } cpu)
            {
                seconds[name] = cpu;
            }
        }

        if (_postgres > 0 && ProcessCpu.Seconds(_postgres, withChildren: true) is { } pg)
        {
            seconds["postgres"] = pg;
        }

        seconds["generator"] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        if (MachineBusySeconds() is { } busy)
        {
            seconds[Machine] = busy;
        }

        return seconds;
    }

    private const string Machine = "machine";

    /// <summary>Busy CPU seconds of all cores since boot (the first line of /proc/stat, idle and iowait left out).</summary>
    private static double? MachineBusySeconds()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal (guest time is already in user)
            return (fields[..8].Sum() - fields[3] - fields[4]) / 100.0;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
