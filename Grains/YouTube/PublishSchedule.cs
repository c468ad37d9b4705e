using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Pipeline.Grains.YouTube;

/// <summary>
/// A channel's publish slots, e.g. <c>daily 17:00 Europe/Paris</c> or <c>mon,wed,fri 09:30,18:00 America/New_York</c>:
/// days (<c>daily</c>, <c>weekdays</c>, <c>weekends</c>, or days by name), one or more local times, and an IANA
/// time zone. Each video takes the next free slot, so a channel's videos go out at an even pace however
/// many are approved at once. Local times follow the zone's daylight-saving rules: a time skipped by the
/// spring change happens that many minutes later (02:30 becomes 03:30), a time that occurs twice in
/// autumn is taken the first time.
/// </summary>
public sealed class PublishSchedule
{
    private static readonly Dictionary<string, DayOfWeek[]> DayWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["daily"] = Enum.GetValues<DayOfWeek>(),
        ["weekdays"] = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
        ["weekends"] = [DayOfWeek.Saturday, DayOfWeek.Sunday],
    };

    private static readonly Dictionary<string, DayOfWeek> DayNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mon"] = DayOfWeek.Monday, ["monday"] = DayOfWeek.Monday,
        ["tue"] = DayOfWeek.Tuesday, ["tuesday"] = DayOfWeek.Tuesday,
        ["wed"] = DayOfWeek.Wednesday, ["wednesday"] = DayOfWeek.Wednesday,
        ["thu"] = DayOfWeek.Thursday, ["thursday"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday, ["friday"] = DayOfWeek.Friday,
        ["sat"] = DayOfWeek.Saturday, ["saturday"] = DayOfWeek.Saturday,
        ["sun"] = DayOfWeek.Sunday, ["sunday"] = DayOfWeek.Sunday,
    };

    private readonly string _text;

    private PublishSchedule(IReadOnlySet<DayOfWeek> days, IReadOnlyList<TimeOnly> times, TimeZoneInfo zone, string text)
    {
        Days = days;
        Times = times;
        TimeZone = zone;
        _text = text;
    }

    public IReadOnlySet<DayOfWeek> Days { get; }

    /// <summary>Local times of day, in order.</summary>
    public IReadOnlyList<TimeOnly> Times { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Reads publish slots.</summary>
    /// <exception cref="PublishScheduleException">The text does not describe slots; the message says which part and why.</exception>
    public static PublishSchedule Parse(string text) =>
        TryParse(text, out var schedule, out var error) ? schedule : throw new PublishScheduleException(text, error);

    /// <summary>Reads publish slots, or says what is wrong with them.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out PublishSchedule? schedule,
        [NotNullWhen(false)] out string? error)
    {
        schedule = null;
        var parts = (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3)
        {
            error = "expected '<days> <HH:mm> <time zone>', e.g. 'daily 17:00 Europe/Paris' or 'mon,wed,fri 09:30 America/New_York'";
            return false;
        }

        if (!TryReadDays(parts[0], out var days, out error) || !TryReadTimes(parts[1], out var times, out error))
        {
            return false;
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(parts[2]);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            error = $"unknown time zone '{parts[2]}' (use an IANA name such as Europe/Paris or America/New_York)";
            return false;
        }

        schedule = new PublishSchedule(days, times, zone, string.Join(' ', parts));
        error = null;
        return true;
    }

    /// <summary>
    /// The first slot strictly after <paramref name="after"/> that no video has yet (<paramref name="taken"/>:
    /// the publish times already given out on this channel).
    /// </summary>
    public DateTimeOffset NextFreeSlot(DateTimeOffset after, IEnumerable<DateTimeOffset> taken)
    {
        var busy = taken.Select(t => t.UtcTicks).ToHashSet();
        // Each taken time can push the answer one slot further at most, so this ends.
        return SlotsAfter(after).First(slot => !busy.Contains(slot.UtcTicks));
    }

    /// <summary>Every slot strictly after <paramref name="after"/>, in order, in the schedule's zone.</summary>
    public IEnumerable<DateTimeOffset> SlotsAfter(DateTimeOffset after)
    {
        // From the day before in local time, as a slot late that day can still fall after the instant
        // in another offset; the check below keeps only what is later.
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(after, TimeZone).DateTime).AddDays(-1);
        var last = after;
        for (; day < DateOnly.MaxValue; day = day.AddDays(1))
        {
            if (!Days.Contains(day.DayOfWeek))
            {
                continue;
            }

            foreach (var time in Times)
            {
                var slot = Instant(day.ToDateTime(time));
                // Two local times can land on one instant on the day the clocks go forward: give it once.
                if (slot > last)
                {
                    last = slot;
                    yield return slot;
                }
            }
        }
    }

    public override string ToString() => _text;

    private DateTimeOffset Instant(DateTime local)
    {
        TimeSpan offset;
        if (TimeZone.IsInvalidTime(local))
        {
            // In the spring gap: counted with the offset before the change, it lands as late after the gap as it was into it.
            offset = TimeZone.GetUtcOffset(local.AddDays(-1));
        }
        else if (TimeZone.IsAmbiguousTime(local))
        {
            // Twice in autumn: the first one is the one with the larger (summer) offset.
            offset = TimeZone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = TimeZone.GetUtcOffset(local);
        }

        var utc = new DateTimeOffset(local.Ticks - offset.Ticks, TimeSpan.Zero);
        return TimeZoneInfo.ConvertTime(utc, TimeZone);
    }

    private static bool TryReadDays(string text, out IReadOnlySet<DayOfWeek> days, [NotNullWhen(false)] out string? error)
    {
        if (DayWords.TryGetValue(text, out var word))
        {
            days = word.ToHashSet();
            error = null;
            return true;
        }

        var set = new HashSet<DayOfWeek>();
        foreach (var name in text.Split(','))
        {
            if (!DayNames.TryGetValue(name, out var day))
            {
                days = set;
                error = $"unknown day '{name}' (use daily, weekdays, weekends, or days such as mon,wed,fri)";
                return false;
            }

            set.Add(day);
        }

        days = set;
        error = null;
        return true;
    }

    private static bool TryReadTimes(string text, out IReadOnlyList<TimeOnly> times, [NotNullWhen(false)] out string? error)
    {
        var list = new SortedSet<TimeOnly>();
        foreach (var part in text.Split(','))
        {
            if (!TimeOnly.TryParseExact(part, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                times = [];
                error = $"'{part}' is not a time of day (24-hour HH:mm, e.g. 17:00)";
                return false;
            }

            list.Add(time);
        }

        times = [.. list];
        error = null;
        return true;
    }
}
