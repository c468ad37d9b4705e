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
    public IReadOnlyDictionary<string, double> Stop(IReadOnlyDictionary<string, double>? extra = null)
    {
        var seconds = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        var after = Read();
        var cores = after.ToDictionary(kv => kv.Key, kv => (kv.Value - _before.GetValueOrDefault(kv.Key)) / seconds);
        foreach (var (name, cpu) in extra ?? new Dictionary<string, double>())
        {
            cores[name] = cpu / seconds;
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
        return seconds;
    }
}
