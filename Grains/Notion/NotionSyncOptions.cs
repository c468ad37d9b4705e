using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Pipeline.Grains.Notion;

/// <summary>How the Notion sync runs.</summary>
/// <param name="SweepPeriod">How often each channel's database is swept (PIPELINE_NOTION_SWEEP_SECONDS, at least 60; default 300).</param>
/// <param name="LongestBackoff">The longest wait between tries of a failed write.</param>
public sealed record NotionSyncOptions(TimeSpan SweepPeriod, TimeSpan LongestBackoff)
{
    /// <summary>Reads the options.</summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns>The options.</returns>
    public static NotionSyncOptions From(IConfiguration configuration) => new(
        configuration["PIPELINE_NOTION_SWEEP_SECONDS"] switch
        {
            null or "" => TimeSpan.FromMinutes(5),
            var text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 60 => TimeSpan.FromSeconds(seconds),
            // Reminders drive the sweep, and Orleans reminders tick at most once a minute.
            var text => throw new InvalidOperationException($"PIPELINE_NOTION_SWEEP_SECONDS must be a whole number of seconds, at least 60; '{text}' is not."),
        },
        TimeSpan.FromMinutes(1));
}
