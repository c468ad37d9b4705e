using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pipeline.Grains.Steps;

namespace Pipeline.Tests.Jobs;

/// <summary>
/// A timed-out or cancelled script dies with everything it started: a direct child, and an orphan
/// whose parent already exited. The sleepers are real `sleep 300` processes whose command line
/// carries a unique marker, so the test can look for survivors in /proc.
/// </summary>
public sealed class JobRunnerKillTests(ScriptFixture scripts) : IClassFixture<ScriptFixture>
{
    private static readonly JobContext Context = new("task-2", "ocean-deep", "job-3");

    private readonly CapturingLogger<JobRunner> _log = new();

    private JobRunner Runner() => new(_log, new JobRunnerOptions { ScriptsDirectory = scripts.ScriptsDirectory });

    [Fact]
    public async Task A_timeout_kills_the_whole_tree_promptly_and_is_transient()
    {
        var (marker, ready) = NewMarker();
        var timeout = TimeSpan.FromSeconds(1.5);
        var clock = Stopwatch.StartNew();

        var outcome = await Runner().RunAsync(new JobCommand("hang", [marker, ready], timeout), Context, CancellationToken.None);

        clock.Stop();
        Assert.True(File.Exists(ready), "the sleepers were running before the timeout");
        Assert.Equal(JobOutcomeKind.Transient, outcome.Kind);
        Assert.Null(outcome.ExitCode);
        Assert.Equal("timed out after 1.5 s", outcome.Error);
        Assert.Equal("sleepers running\n", outcome.StandardErrorTail);
        Assert.InRange(clock.Elapsed, timeout, timeout + TimeSpan.FromSeconds(2));
        await AssertNoSurvivors(marker);
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning && e.Message == "Job hang timed out after 1.5 s; killing its process tree");
    }

    [Fact]
    public async Task A_cancellation_kills_the_whole_tree_then_throws()
    {
        var (marker, ready) = NewMarker();
        using var cancellation = new CancellationTokenSource();
        var run = Runner().RunAsync(new JobCommand("hang", [marker, ready], TimeSpan.FromMinutes(5)), Context, cancellation.Token);
        await WaitFor(() => File.Exists(ready) || run.IsCompleted, "the sleepers to start");
        Assert.False(run.IsCompleted);

        var clock = Stopwatch.StartNew();
        await cancellation.CancelAsync();
        var thrown = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal(cancellation.Token, thrown.CancellationToken);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"cancelling took {clock.Elapsed}");
        await AssertNoSurvivors(marker);
        Assert.Contains(_log.Entries, e => e.Message.StartsWith("Job hang cancelled after", StringComparison.Ordinal)
            && Equals(e.Values["JobId"], "job-3"));
    }

    [Fact]
    public async Task What_a_finished_script_left_running_is_killed_and_does_not_hold_up_its_result()
    {
        var (marker, ready) = NewMarker();
        var clock = Stopwatch.StartNew();

        var outcome = await Runner().RunAsync(new JobCommand("leave_behind", [marker, ready], TimeSpan.FromSeconds(30)), Context, CancellationToken.None);

        Assert.Equal(JobOutcomeKind.Succeeded, outcome.Kind);
        Assert.Equal("/tmp/left.png", outcome.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"the result took {clock.Elapsed}");
        await AssertNoSurvivors(marker);
    }

    private (string Marker, string Ready) NewMarker()
    {
        var marker = Guid.NewGuid().ToString("N");
        return (marker, Path.Combine(scripts.ScriptsDirectory, "ready-" + marker));
    }

    /// <summary>SIGKILL is delivered at once but a process takes a moment to go; a zombie has an empty command line.</summary>
    private static async Task AssertNoSurvivors(string marker)
    {
        var survivors = Survivors(marker);
        for (var waited = 0; survivors.Count > 0 && waited < 2000; waited += 50)
        {
            await Task.Delay(50);
            survivors = Survivors(marker);
        }

        Assert.True(survivors.Count == 0, "still running: " + string.Join("; ", survivors));
    }

    private static List<string> Survivors(string marker)
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains("sleeper-" + marker, StringComparison.Ordinal))
                {
                    found.Add($"{pid}: {commandLine}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // It ended while we looked.
            }
        }

        return found;
    }

    private static async Task WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
