using System.Globalization;
using Microsoft.Extensions.Configuration;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Tasks;

/// <summary>How task grains time their retries and checks.</summary>
public sealed record TaskOptions
{
    /// <summary>Waits before each automatic retry; after the last one a person has to act.</summary>
    public IReadOnlyList<TimeSpan> RetrySchedule { get; init; } = WorkflowDefinition.DefaultRetrySchedule;

    /// <summary>
    /// How often an active task checks on itself (a durable reminder): it resumes a step that no
    /// longer runs (its silo died), and catches up on the read model.
    /// </summary>
    public TimeSpan WatchdogPeriod { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Reads PIPELINE_RETRY_SCHEDULE (the waits in seconds, comma-separated; default "60,300,900,3600")
    /// and PIPELINE_WATCHDOG_SECONDS (default 120).
    /// </summary>
    public static TaskOptions From(IConfiguration configuration) => new()
    {
        RetrySchedule = ReadRetrySchedule(configuration["PIPELINE_RETRY_SCHEDULE"]) ?? WorkflowDefinition.DefaultRetrySchedule,
        WatchdogPeriod = ReadWatchdogPeriod(configuration["PIPELINE_WATCHDOG_SECONDS"]) ?? TimeSpan.FromMinutes(2),
    };

    // Orleans reminders tick at most once a minute.
    private static TimeSpan? ReadWatchdogPeriod(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : int.TryParse(text, CultureInfo.InvariantCulture, out var seconds) && seconds >= 60 ? TimeSpan.FromSeconds(seconds)
        : throw new InvalidOperationException($"PIPELINE_WATCHDOG_SECONDS must be a whole number of seconds, at least 60; '{text}' is not.");

    private static List<TimeSpan>? ReadRetrySchedule(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var schedule = new List<TimeSpan>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
            {
                throw new InvalidOperationException(
                    $"PIPELINE_RETRY_SCHEDULE must be positive numbers of seconds separated by commas, e.g. \"60,300,900,3600\"; '{part}' is not.");
            }

            schedule.Add(TimeSpan.FromSeconds(seconds));
        }

        return schedule;
    }
}
