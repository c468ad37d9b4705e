using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Pipeline.Grains.Steps;

/// <summary>
/// Runs one step script as a process and reads what it did from its exit code and last stdout
/// line (the scripts' contract). It never uses a shell, never blocks a thread while the script
/// runs (steps await it from grain code's thread-pool work), logs the script's output line by
/// line under the job's task, channel and job ids, keeps a bounded tail of it, and kills the
/// script's whole process tree on a timeout or a cancellation.
/// </summary>
public sealed partial class JobRunner
{
    /// <summary>After the script exits, how long a child that inherited its stdout may keep it open.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>SIGKILL cannot be ignored; this only bounds a process stuck in the kernel.</summary>
    private static readonly TimeSpan KillTimeout = TimeSpan.FromSeconds(10);

    private const int ErrorLines = 5;
    private const int MaxErrorLength = 2000;

    private readonly ILogger<JobRunner> _logger;
    private readonly JobRunnerOptions _options;

    public JobRunner(ILogger<JobRunner> logger, JobRunnerOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxCapturedBytes, 1, nameof(options));
        _logger = logger;
        _options = options;
    }

    /// <summary>
    /// Runs the script to its end and says how it went. A script that cannot start, fails or times
    /// out is an outcome, not an exception; only a cancellation throws (an
    /// <see cref="OperationCanceledException"/>, once the process tree is dead).
    /// </summary>
    public async Task<JobOutcome> RunAsync(JobCommand command, JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);
        if (command.Timeout <= TimeSpan.Zero && command.Timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(command), command.Timeout, "A job's timeout must be positive (or infinite).");
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var scope = _logger.BeginScope(new Dictionary<string, object>
        {
            ["TaskId"] = context.TaskId,
            ["ChannelId"] = context.ChannelId,
            ["JobId"] = context.JobId,
        });

        var stopwatch = Stopwatch.StartNew();
        if (ResolveScript(command.Script) is not { } path)
        {
            return NotStarted(command.Script, $"'{command.Script}' is neither a script name nor an absolute path", stopwatch);
        }

        if (FindProblem(command.Script, path) is { } problem)
        {
            return NotStarted(command.Script, problem, stopwatch);
        }

        using var process = new Process { StartInfo = StartInfo(path, command) };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            return NotStarted(command.Script, $"could not start {path}: {e.Message}", stopwatch);
        }

        var processId = process.Id;
        var processGroup = ProcessTree.Setsid is null ? 0 : processId;
        LogStarted(command.Script, processId);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogArguments(command.Script, JsonSerializer.Serialize(command.Arguments));
        }

        // Nothing to read: the script sees end-of-file at once instead of the silo's stdin.
        process.StandardInput.Close();

        var script = command.Script;
        var stdout = new OutputPump(process.StandardOutput.BaseStream, _options.MaxCapturedBytes,
            _logger.IsEnabled(LogLevel.Debug) ? line => LogStdout(script, line) : null);
        var stderr = new OutputPump(process.StandardError.BaseStream, _options.MaxCapturedBytes,
            _logger.IsEnabled(LogLevel.Information) ? line => LogStderr(script, line) : null);
        using var stopReading = new CancellationTokenSource();
        var pumps = Task.WhenAll(stdout.RunAsync(stopReading.Token), stderr.RunAsync(stopReading.Token));

        using var timeout = new CancellationTokenSource(command.Timeout);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var killed = false;
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(either.Token);
        }
        catch (OperationCanceledException) when (either.IsCancellationRequested)
        {
            // A script that exited just as its time ran out keeps its own outcome.
            if (cancellationToken.IsCancellationRequested || !process.HasExited)
            {
                timedOut = !cancellationToken.IsCancellationRequested;
                if (timedOut)
                {
                    LogTimedOut(script, command.Timeout.TotalSeconds);
                }

                await KillAsync(process, processGroup, script);
                killed = true;
            }
        }

        // Whatever the script left running in its group dies with it; that also closes the pipes
        // such leftovers inherited, so the output can be read to its end.
        if (!killed && ProcessTree.KillGroup(processGroup))
        {
            LogKilledLeftovers(script);
        }

        await DrainAsync(pumps, stopReading, script);
        stopwatch.Stop();

        if (cancellationToken.IsCancellationRequested)
        {
            LogCancelled(script, stopwatch.ElapsedMilliseconds);
            throw new OperationCanceledException($"Job {script} was cancelled.", cancellationToken);
        }

        var outcome = timedOut
            ? TimedOut(command.Timeout, stdout.Text(), stderr.Text(), stopwatch.Elapsed)
            : Classify(process.ExitCode, stdout.Text(), stderr.Text(), stopwatch.Elapsed);
        if (outcome.Succeeded)
        {
            LogSucceeded(script, stopwatch.ElapsedMilliseconds, outcome.Output, outcome.CostUsd);
        }
        else
        {
            LogFailed(script, stopwatch.ElapsedMilliseconds, outcome.ExitCode, outcome.Kind, outcome.Error);
        }

        return outcome;
    }

    /// <summary>The script's path, or null for a relative name that would leave the scripts directory.</summary>
    private string? ResolveScript(string script)
    {
        if (Path.IsPathRooted(script))
        {
            return script;
        }

        return script.Length == 0 || script is "." or ".." || script.IndexOfAny(['/', '\\']) >= 0
            ? null
            : Path.Combine(_options.ScriptsDirectory, script);
    }

    private static string? FindProblem(string script, string path)
    {
        if (!File.Exists(path))
        {
            return $"script '{script}' not found: {path} does not exist";
        }

        // Checked here because under setsid an unexecutable script would only show as setsid's own failure.
        if (!OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
        {
            return $"script '{script}' is not executable: {path}";
        }

        return null;
    }

    private static ProcessStartInfo StartInfo(string path, JobCommand command)
    {
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = command.WorkingDirectory ?? "",
        };
        if (ProcessTree.Setsid is { } setsid)
        {
            info.FileName = setsid;
            info.ArgumentList.Add(path);
        }
        else
        {
            info.FileName = path;
        }

        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The scripts are Python: unbuffered, their lines reach the log as they happen, not at exit.
        info.Environment["PYTHONUNBUFFERED"] = "1";
        foreach (var (name, value) in command.Environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private async Task KillAsync(Process process, int processGroup, string script)
    {
        if (ProcessTree.Kill(process, processGroup) is { } problem)
        {
            LogKillProblem(script, problem);
        }

        try
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(KillTimeout);
        }
        catch (TimeoutException)
        {
            LogStillRunning(script, KillTimeout.TotalSeconds);
        }
    }

    /// <summary>
    /// Reads the output to its end, so the result line is never lost; if something outside the
    /// script's group still holds the pipe open, stops reading after <see cref="DrainTimeout"/>.
    /// </summary>
    private async Task DrainAsync(Task pumps, CancellationTokenSource stopReading, string script)
    {
        try
        {
            await pumps.WaitAsync(DrainTimeout);
        }
        catch (TimeoutException)
        {
            LogOutputLeftOpen(script, DrainTimeout.TotalSeconds);
            await stopReading.CancelAsync();
            try
            {
                await pumps.WaitAsync(TimeSpan.FromSeconds(1));
            }
            catch (TimeoutException)
            {
                // The pumps end when the pipe does; the outcome uses what was read so far.
            }
        }
    }

    private JobOutcome NotStarted(string script, string reason, Stopwatch stopwatch)
    {
        LogNotStarted(script, reason);
        return new JobOutcome(JobOutcomeKind.Failed, null, null, 0m, reason, null, stopwatch.Elapsed, null);
    }

    private static JobOutcome TimedOut(TimeSpan timeout, string stdout, string stderr, TimeSpan elapsed)
    {
        var result = ResultLine(stdout);
        var error = $"timed out after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
        return new JobOutcome(JobOutcomeKind.Transient, null, null, Cost(result), error, RetryAfter(result), elapsed, result)
        {
            StandardOutputTail = stdout,
            StandardErrorTail = stderr,
        };
    }

    private static JobOutcome Classify(int exitCode, string stdout, string stderr, TimeSpan elapsed)
    {
        var result = ResultLine(stdout);
        var output = result is { } r && r.TryGetProperty("output", out var o) && o.ValueKind == JsonValueKind.String
            && o.GetString() is { Length: > 0 } path ? path : null;
        var kind = exitCode switch
        {
            0 when output is not null => JobOutcomeKind.Succeeded,
            2 => JobOutcomeKind.BadInput,
            75 => JobOutcomeKind.Transient,
            _ => JobOutcomeKind.Failed,
        };

        string? error = null;
        if (kind != JobOutcomeKind.Succeeded)
        {
            error = exitCode == 0
                ? "the script exited with 0 but its last stdout line is not a JSON object with \"output\""
                    + (LastLine(stdout) is { Length: > 0 } line ? $": {Shorten(line, 200)}" : " (stdout was empty)")
                : ScriptError(result) ?? StderrError(stderr) ?? $"exit code {exitCode}";
        }

        return new JobOutcome(kind, exitCode, output, Cost(result), error, RetryAfter(result), elapsed, result)
        {
            StandardOutputTail = stdout,
            StandardErrorTail = stderr,
        };
    }

    /// <summary>The last non-blank stdout line as a cloned JSON object, or null if it is not one.</summary>
    private static JsonElement? ResultLine(string stdout)
    {
        var line = LastLine(stdout);
        if (line is null || !line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? LastLine(string text)
    {
        var trimmed = text.TrimEnd();
        return trimmed.Length == 0 ? null : trimmed[(trimmed.LastIndexOf('\n') + 1)..].Trim();
    }

    private static decimal Cost(JsonElement? result) =>
        result is { } r && r.TryGetProperty("cost_usd", out var cost) && cost.ValueKind == JsonValueKind.Number
            && cost.TryGetDecimal(out var usd) && usd >= 0 ? usd : 0m;

    private static TimeSpan? RetryAfter(JsonElement? result) =>
        result is { } r && r.TryGetProperty("retry_after_seconds", out var wait) && wait.ValueKind == JsonValueKind.Number
            && wait.TryGetDouble(out var seconds) && seconds >= 0 && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(1).TotalSeconds))
            : null;

    private static string? ScriptError(JsonElement? result) =>
        result is { } r && r.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
            && error.GetString() is { } text && !string.IsNullOrWhiteSpace(text) ? Shorten(text.Trim(), MaxErrorLength) : null;

    private static string? StderrError(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? null : ShortenFromStart(string.Join('\n', lines[^Math.Min(ErrorLines, lines.Length)..]), MaxErrorLength);
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    private static string ShortenFromStart(string text, int max) => text.Length <= max ? text : "…" + text[^max..];

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Script} started as process {ProcessId}")]
    private partial void LogStarted(string script, int processId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {Script} arguments: {Arguments}")]
    private partial void LogArguments(string script, string arguments);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Script} stdout: {Line}")]
    private partial void LogStdout(string script, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Script} stderr: {Line}")]
    private partial void LogStderr(string script, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Script} succeeded in {ElapsedMs} ms: {Output} (${CostUsd})")]
    private partial void LogSucceeded(string script, long elapsedMs, string? output, decimal costUsd);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Script} ended in {ElapsedMs} ms with exit code {ExitCode}: {Outcome}: {Error}")]
    private partial void LogFailed(string script, long elapsedMs, int? exitCode, JobOutcomeKind outcome, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Script} could not start: {Reason}")]
    private partial void LogNotStarted(string script, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Script} timed out after {TimeoutSeconds} s; killing its process tree")]
    private partial void LogTimedOut(string script, double timeoutSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Script} cancelled after {ElapsedMs} ms; its process tree was killed")]
    private partial void LogCancelled(string script, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {Script} left processes behind in its group; killed them")]
    private partial void LogKilledLeftovers(string script);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Killing job {Script}'s process tree: {Problem}")]
    private partial void LogKillProblem(string script, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Script} still runs {Seconds} s after SIGKILL")]
    private partial void LogStillRunning(string script, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Script} exited but its output stayed open for {Seconds} s (a process outside its group holds it); stopped reading")]
    private partial void LogOutputLeftOpen(string script, double seconds);
}
