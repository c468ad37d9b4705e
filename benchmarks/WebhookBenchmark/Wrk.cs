using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Benchmarks.Webhooks;

/// <summary>
/// Max throughput with wrk (closed loop): a C# generator on the same two cores would take more of them than the
/// targets and so measure itself. wrk cannot sign, so each thread cycles through pre-signed requests read from a file.
/// </summary>
public sealed class Wrk(string executable, string workDirectory)
{
    // One line per request: signature TAB body (bodies are single-line JSON). Thread k takes lines k, k+n, k+2n…,
    // so no two threads send the same event.
    private const string Script = """
        local next_id = 0
        function setup(thread)
          thread:set("id", next_id)
          next_id = next_id + 1
        end

        function init(args)
          local path, threads = args[1], tonumber(args[2])
          requests, count, index = {}, 0, 0
          local line_no = 0
          for line in io.lines(path) do
            if line_no % threads == id then
              local tab = line:find("\t", 1, true)
              count = count + 1
              requests[count] = wrk.format("POST", nil,
                { ["Content-Type"] = "application/json", ["X-Notion-Signature"] = line:sub(1, tab - 1) },
                line:sub(tab + 1))
            end
            line_no = line_no + 1
          end
        end

        function request()
          index = index + 1
          if index > count then index = 1 end
          return requests[index]
        end

        function done(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("WRK requests=%d duration_us=%d status=%d socket=%d p50_us=%d p99_us=%d max_us=%d\n",
            summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
            latency:percentile(50), latency:percentile(99), latency.max))
        end
        """;

    /// <summary>What <c>onStart</c> returned in the last run: a meter started with wrk, after the request file is written.</summary>
    public CpuMeter? LastMeter { get; private set; }

    public async Task<ClosedLoopResult> RunAsync(
        Uri url, IEnumerable<SignedEvent> events, int threads, int connections, TimeSpan duration, Func<CpuMeter>? onStart = null)
    {
        var script = Path.Combine(workDirectory, "webhooks.lua");
        var data = Path.Combine(workDirectory, "requests.tsv");
        await File.WriteAllTextAsync(script, Script);
        var distinct = 0;
        await using (var writer = new StreamWriter(data))
        {
            foreach (var e in events)
            {
                await writer.WriteAsync(e.Signature);
                await writer.WriteAsync('\t');
                await writer.WriteLineAsync(System.Text.Encoding.UTF8.GetString(e.Body));
                distinct++;
            }
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[]
        {
            "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{(int)duration.TotalSeconds}s", "--timeout", "10s", "-s", script, url.ToString(), "--", data,
            threads.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        LastMeter = onStart?.Invoke();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Its CPU can only be read while it runs: sample it until it exits (the last few hundred ms are missed).
        var cpu = 0.0;
        while (!process.HasExited)
        {
            cpu = ProcessCpu.Seconds(process.Id) ?? cpu;
            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(250));
        }

        await process.WaitForExitAsync();
        var output = await stdout;
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("WRK ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk exited {process.ExitCode} without its summary:\n{output}\n{await stderr}");
        var fields = line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('='))
            .ToDictionary(kv => kv[0], kv => long.Parse(kv[1], CultureInfo.InvariantCulture));
        File.Delete(data);
        return new ClosedLoopResult(
            fields["requests"],
            fields["duration_us"] / 1e6,
            fields["status"],
            fields["socket"],
            distinct,
            new Percentiles(fields["p50_us"] / 1000.0, fields["p99_us"] / 1000.0, fields["max_us"] / 1000.0, (int)fields["requests"]),
            cpu);
    }
}
