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
    /// Reads PIPELINE_RETRY_SCHEDULE: the waits in seconds, comma-separated (default "60,300,900,3600").
    /// </summary>
    public static TaskOptions From(IConfiguration configuration)
    {
        var text = configuration["PIPELINE_RETRY_SCHEDULE"];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new TaskOptions();
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

        return new TaskOptions { RetrySchedule = schedule };
    }
}
