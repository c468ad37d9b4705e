using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Pipeline.Grains.Steps;

namespace Pipeline.Tests.Jobs;

/// <summary>How the job runner reads a script's exit code, result line and output.</summary>
public sealed class JobRunnerTests(ScriptFixture scripts) : IClassFixture<ScriptFixture>
{
    private static readonly JobContext Context = new("task-1", "wild-africa", "job-7");
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private readonly CapturingLogger<JobRunner> _log = new();

    private JobRunner Runner(int maxCapturedBytes = JobRunnerOptions.DefaultMaxCapturedBytes) =>
        new(_log, new JobRunnerOptions { ScriptsDirectory = scripts.ScriptsDirectory, MaxCapturedBytes = maxCapturedBytes });

    private Task<JobOutcome> Run(string script, params string[] arguments) =>
        Runner().RunAsync(new JobCommand(script, arguments, Generous), Context, CancellationToken.None);

    [Fact]
    public async Task A_success_gives_the_result_lines_output_cost_and_extras_and_logs_under_the_jobs_scope()
    {
        var outcome = await Runner().RunAsync(
            new JobCommand("succeed", ["--prompt", "a lion"], Generous,
                new Dictionary<string, string> { ["JOB_TEST_SECRET"] = "s3cr3t-value-42" }),
            Context, CancellationToken.None);

        Assert.Equal(JobOutcomeKind.Succeeded, outcome.Kind);
        Assert.True(outcome.Succeeded);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("/tmp/out.png", outcome.Output);
        Assert.Equal(0.039m, outcome.CostUsd);
        Assert.Null(outcome.Error);
        Assert.Null(outcome.RetryAfter);
        Assert.True(outcome.Elapsed > TimeSpan.Zero);
        Assert.Equal(4.5, outcome.Result!.Value.GetProperty("duration_seconds").GetDouble());
        Assert.True(outcome.Result.Value.GetProperty("secret_seen").GetBoolean(), "the extra environment variable reached the script");

        var entries = _log.Entries.ToList();
        Assert.All(entries, e =>
        {
            Assert.Equal("task-1", e.Values["TaskId"]);
            Assert.Equal("wild-africa", e.Values["ChannelId"]);
            Assert.Equal("job-7", e.Values["JobId"]);
        });
        Assert.Contains(entries, e => e.Level == LogLevel.Debug && e.Message == "succeed stdout: progress line");
        Assert.Contains(entries, e => e.Level == LogLevel.Information && e.Message == "succeed stderr: working on --prompt a lion");
        Assert.Contains(entries, e => e.Level == LogLevel.Information && e.Message.StartsWith("Job succeed started as process", StringComparison.Ordinal));
        var finished = Assert.Single(entries, e => e.Message.StartsWith("Job succeed succeeded in", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, finished.Level);
        Assert.EndsWith("ms: /tmp/out.png ($0.039)", finished.Message);
        Assert.DoesNotContain(entries, e => e.Everything.Contains("s3cr3t-value-42", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exit_2_is_bad_input_with_the_scripts_error()
    {
        var outcome = await Run("bad_input");

        Assert.Equal(JobOutcomeKind.BadInput, outcome.Kind);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Null(outcome.Output);
        Assert.Equal("missing input file /nowhere.png", outcome.Error);
        var ended = Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning);
        Assert.EndsWith("with exit code 2: BadInput: missing input file /nowhere.png", ended.Message);
        Assert.Equal(2, ended.Values["ExitCode"]);
        Assert.Equal(JobOutcomeKind.BadInput, ended.Values["Outcome"]);
    }

    [Fact]
    public async Task Exit_75_is_transient_with_the_providers_wait_and_the_cost_so_far()
    {
        var outcome = await Run("rate_limited");

        Assert.Equal(JobOutcomeKind.Transient, outcome.Kind);
        Assert.Equal(75, outcome.ExitCode);
        Assert.Equal(TimeSpan.FromSeconds(12), outcome.RetryAfter);
        Assert.Equal(0.01m, outcome.CostUsd);
        Assert.Equal("rate limited by provider", outcome.Error);
    }

    [Fact]
    public async Task Another_exit_code_is_a_failure_explained_by_the_last_stderr_lines_or_the_code()
    {
        var crash = await Run("crash");
        Assert.Equal(JobOutcomeKind.Failed, crash.Kind);
        Assert.Equal(1, crash.ExitCode);
        Assert.Equal("trace line 3\ntrace line 4\ntrace line 5\ntrace line 6\ntrace line 7", crash.Error);
        Assert.Null(crash.Result);

        var silent = await Run("silent_crash");
        Assert.Equal(JobOutcomeKind.Failed, silent.Kind);
        Assert.Equal(3, silent.ExitCode);
        Assert.Equal("exit code 3", silent.Error);
    }

    [Fact]
    public async Task Exit_0_without_a_json_result_line_with_output_is_a_failure()
    {
        var garbage = await Run("garbage");
        Assert.Equal(JobOutcomeKind.Failed, garbage.Kind);
        Assert.Equal(0, garbage.ExitCode);
        Assert.Null(garbage.Output);
        Assert.Contains("not a JSON object with \"output\": done, probably", garbage.Error);

        var noOutput = await Run("no_output_field");
        Assert.Equal(JobOutcomeKind.Failed, noOutput.Kind);
        Assert.Equal(0.02m, noOutput.CostUsd);
        Assert.Equal("local", noOutput.Result!.Value.GetProperty("provider").GetString());
    }

    [Fact]
    public async Task A_missing_or_unexecutable_script_or_a_name_outside_the_scripts_directory_fails_without_starting()
    {
        var missing = await Run("generate_nothing");
        Assert.Equal(JobOutcomeKind.Failed, missing.Kind);
        Assert.Null(missing.ExitCode);
        Assert.Equal($"script 'generate_nothing' not found: {scripts.PathOf("generate_nothing")} does not exist", missing.Error);

        var absolute = await Run("/nonexistent/dir/generate_asset");
        Assert.Equal(JobOutcomeKind.Failed, absolute.Kind);
        Assert.Contains("/nonexistent/dir/generate_asset does not exist", absolute.Error);

        var plain = await Run("not_executable");
        Assert.Equal(JobOutcomeKind.Failed, plain.Kind);
        Assert.Equal($"script 'not_executable' is not executable: {scripts.PathOf("not_executable")}", plain.Error);

        var escaping = await Run("../succeed");
        Assert.Equal(JobOutcomeKind.Failed, escaping.Kind);
        Assert.Contains("neither a script name nor an absolute path", escaping.Error);

        Assert.Equal(4, _log.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("could not start", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_script_given_by_absolute_path_runs_too()
    {
        var outcome = await Run(scripts.PathOf("succeed"));

        Assert.Equal(JobOutcomeKind.Succeeded, outcome.Kind);
    }

    [Fact]
    public async Task Arguments_reach_the_script_verbatim_without_a_shell()
    {
        string[] arguments =
        [
            "two words", "it's \"quoted\"", "a;b && rm -rf /tmp/nothing | cat", "$HOME", "`id`", "$(id)", "*", "",
            "-w", "--help", "line\nbreak", "  padded  ", "ünïcødé ✓", "back\\slash",
        ];
        var argsFile = Path.Combine(scripts.ScriptsDirectory, "args-" + Guid.NewGuid().ToString("N"));

        var outcome = await Runner().RunAsync(
            new JobCommand("echo_args", arguments, Generous, new Dictionary<string, string> { ["ARGS_FILE"] = argsFile }),
            Context, CancellationToken.None);

        Assert.Equal(JobOutcomeKind.Succeeded, outcome.Kind);
        var received = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(argsFile)).Split('\0')[..^1];
        Assert.Equal(arguments, received);
    }

    [Fact]
    public async Task A_huge_line_is_logged_cut_short_and_the_result_line_after_it_still_counts()
    {
        var outcome = await Runner(maxCapturedBytes: 4096).RunAsync(
            new JobCommand("long_line", [], Generous), Context, CancellationToken.None);

        Assert.Equal(JobOutcomeKind.Succeeded, outcome.Kind);
        Assert.Equal("/tmp/long.png", outcome.Output);
        Assert.Equal(4096, outcome.StandardOutputTail.Length);
        var logged = Assert.Single(_log.Entries, e => e.Message.StartsWith("long_line stdout: xxx", StringComparison.Ordinal));
        Assert.EndsWith("…(line cut)", logged.Message);
        Assert.True(logged.Message.Length < 9000);
    }

    [Fact]
    public async Task A_cancelled_token_throws_before_anything_starts()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner().RunAsync(
            new JobCommand("succeed", [], Generous), Context, new CancellationToken(canceled: true)));

        Assert.Empty(_log.Entries);
    }
}
