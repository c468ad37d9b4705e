namespace Pipeline.Tests.Jobs;

/// <summary>
/// A scripts directory of small executable bash scripts, written once per test class before any
/// of them runs (writing a file while another thread forks can make its exec fail "text file busy").
/// </summary>
public sealed class ScriptFixture : IDisposable
{
    public ScriptFixture()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The job runner's tests use bash and /proc.");
        }

        Directory.CreateDirectory(ScriptsDirectory);
        foreach (var (name, body) in Scripts)
        {
            var path = Path.Combine(ScriptsDirectory, name);
            File.WriteAllText(path, "#!/usr/bin/env bash\nset -u\n" + body + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var plain = Path.Combine(ScriptsDirectory, "not_executable");
        File.WriteAllText(plain, "#!/usr/bin/env bash\necho '{\"output\": \"/x\"}'\n");
        File.SetUnixFileMode(plain, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public string ScriptsDirectory { get; } = Path.Combine(Path.GetTempPath(), "pipeline-jobs-" + Guid.NewGuid().ToString("N"));

    public string PathOf(string name) => Path.Combine(ScriptsDirectory, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(ScriptsDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    // $1 is a unique marker, $2 a file to create once the sleepers run. The first sleeper is an
    // ordinary child; the second is double-forked (an orphan whose parent is gone), which only the
    // process group reaches. Both are `sleep 300` renamed so their command lines carry the marker,
    // and both inherit stdout, so a survivor would also keep the output open.
    private static string SpawnSleepers(bool escaped = false) => $$"""
        marker="$1"; ready="$2"; count=2
        bash -c 'exec -a "$0" sleep 300' "sleeper-$marker-child" &
        ( bash -c 'exec -a "$0" sleep 300' "sleeper-$marker-orphan" & )
        {{(escaped ? EscapedSleeper : "")}}
        until [ "$(grep -las "^sleeper[-]$marker" /proc/[0-9]*/cmdline | wc -l)" -ge $count ]; do sleep 0.01; done
        touch "$ready"
        echo "sleepers running" >&2
        """;

    // A child that left the script's process group (setsid, as a daemon would): only the walk
    // down the process tree, while the script still lives, reaches it.
    private const string EscapedSleeper = """
        setsid bash -c 'exec -a "$0" sleep 300' "sleeper-$marker-escaped" & count=3
        """;

    private static readonly Dictionary<string, string> Scripts = new()
    {
        ["succeed"] = """
            echo "working on $*" >&2
            echo "progress line"
            if [ "${JOB_TEST_SECRET:-}" = "s3cr3t-value-42" ]; then seen=true; else seen=false; fi
            echo "{\"output\": \"/tmp/out.png\", \"cost_usd\": 0.039, \"provider\": \"local\", \"duration_seconds\": 4.5, \"secret_seen\": $seen}"
            """,
        ["bad_input"] = """
            echo "checking input" >&2
            echo '{"error": "missing input file /nowhere.png", "cost_usd": 0}'
            exit 2
            """,
        ["rate_limited"] = """
            echo "provider said 429" >&2
            echo '{"error": "rate limited by provider", "cost_usd": 0.01, "retry_after_seconds": 12}'
            exit 75
            """,
        ["crash"] = """
            for i in 1 2 3 4 5 6 7; do echo "trace line $i" >&2; done
            echo "not json"
            exit 1
            """,
        ["silent_crash"] = "exit 3",
        ["garbage"] = """
            echo '{"output": "/tmp/early.png"}'
            echo "done, probably"
            """,
        ["no_output_field"] = """echo '{"cost_usd": 0.02, "provider": "local"}'""",
        ["flood"] = """
            yes 'a line of progress output that goes on and on' | head -c 67108864
            echo
            yes 'complaint' | head -c 8388608 >&2
            echo '{"output": "/tmp/flood.mp4", "cost_usd": 0.5}'
            """,
        ["long_line"] = """
            head -c 10000000 /dev/zero | tr '\0' x
            echo
            echo '{"output": "/tmp/long.png"}'
            """,
        ["echo_args"] = """
            printf '%s\0' "$@" > "$ARGS_FILE"
            echo '{"output": "/tmp/args.txt"}'
            """,
        ["hang"] = SpawnSleepers(escaped: true) + "\nwait\n",
        ["leave_behind"] = SpawnSleepers() + "\necho '{\"output\": \"/tmp/left.png\"}'\nexit 0\n",
    };
}
