namespace Pipeline.Grains.Limits;

/// <summary>The quota day an instant falls in: the date of its last reset (on the reset's clock) and when the next one comes.</summary>
/// <param name="Day">The date, in the reset's time zone, of the last reset.</param>
/// <param name="ResetsAt">The next reset (UTC).</param>
public readonly record struct QuotaDay(DateOnly Day, DateTime ResetsAt)
{
    /// <summary>The quota day of <paramref name="utcNow"/> for a reset at <paramref name="resetTime"/> in <paramref name="zone"/>.</summary>
    /// <param name="utcNow">The instant (UTC).</param>
    /// <param name="zone">The time zone whose clock the reset follows.</param>
    /// <param name="resetTime">The time of day of the reset.</param>
    /// <returns>The quota day.</returns>
    public static QuotaDay At(DateTime utcNow, TimeZoneInfo zone, TimeOnly resetTime)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc), zone);
        var day = DateOnly.FromDateTime(local);
        if (TimeOnly.FromDateTime(local) < resetTime)
        {
            day = day.AddDays(-1);
        }

        return new QuotaDay(day, ToUtc(day.AddDays(1).ToDateTime(resetTime), zone));
    }

    /// <summary>The zone for an IANA id; UTC when none is given.</summary>
    /// <param name="id">The id (channels.yaml checked it).</param>
    /// <returns>The zone.</returns>
    public static TimeZoneInfo Zone(string? id) =>
        string.IsNullOrEmpty(id) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(id);

    private static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        // A reset inside a spring-forward gap happens when the clocks resume.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
    }
}
