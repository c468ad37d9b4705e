using Pipeline.Grains.YouTube;

namespace Pipeline.Tests.YouTube;

/// <summary>Publish slots: parsing with reasons, the next free slot, and daylight-saving changes.</summary>
public sealed class PublishScheduleTests
{
    private static readonly DateTimeOffset[] None = [];

    [Fact]
    public void A_daily_slot_is_today_when_still_ahead_else_tomorrow_in_the_channels_zone()
    {
        var schedule = PublishSchedule.Parse("daily 17:00 Europe/Paris");

        // 12:00 UTC in January is 13:00 in Paris (UTC+1): today's 17:00 is ahead.
        var today = schedule.NextFreeSlot(Utc(2026, 1, 15, 12, 0), None);
        Assert.Equal(Utc(2026, 1, 15, 16, 0), today);
        Assert.Equal(TimeSpan.FromHours(1), today.Offset);

        // 16:00 UTC is exactly the slot: the next one is tomorrow's.
        Assert.Equal(Utc(2026, 1, 16, 16, 0), schedule.NextFreeSlot(Utc(2026, 1, 15, 16, 0), None));
    }

    [Fact]
    public void Taken_slots_are_skipped_so_videos_go_out_one_per_slot()
    {
        var schedule = PublishSchedule.Parse("daily 17:00 Europe/Paris");
        var now = Utc(2026, 1, 15, 12, 0);
        var taken = new List<DateTimeOffset>();

        for (var i = 0; i < 3; i++)
        {
            taken.Add(schedule.NextFreeSlot(now, taken));
        }

        Assert.Equal([Utc(2026, 1, 15, 16, 0), Utc(2026, 1, 16, 16, 0), Utc(2026, 1, 17, 16, 0)], taken);
    }

    [Fact]
    public void A_slot_keeps_its_local_time_across_the_spring_and_autumn_changes_in_paris()
    {
        var schedule = PublishSchedule.Parse("daily 17:00 Europe/Paris");

        // Clocks go forward on 29 March 2026: 17:00 is 16:00 UTC the day before and 15:00 UTC that day.
        var slots = schedule.SlotsAfter(Utc(2026, 3, 28, 0, 0)).Take(2).ToList();
        Assert.Equal([Utc(2026, 3, 28, 16, 0), Utc(2026, 3, 29, 15, 0)], slots);
        Assert.Equal(TimeSpan.FromHours(2), slots[1].Offset);

        // And back on 25 October 2026.
        Assert.Equal([Utc(2026, 10, 24, 15, 0), Utc(2026, 10, 25, 16, 0)], schedule.SlotsAfter(Utc(2026, 10, 24, 0, 0)).Take(2));
    }

    [Fact]
    public void A_time_the_spring_change_skips_moves_past_the_gap_and_a_repeated_time_is_taken_once()
    {
        var schedule = PublishSchedule.Parse("daily 02:30 Europe/Paris");

        // 29 March 2026: 02:00 → 03:00. 02:30 does not exist; it becomes 03:30 CEST = 01:30 UTC.
        Assert.Equal(Utc(2026, 3, 29, 1, 30), schedule.NextFreeSlot(Utc(2026, 3, 29, 0, 0), None));

        // 25 October 2026: 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET); only the first is a slot.
        var autumn = schedule.SlotsAfter(Utc(2026, 10, 25, 0, 0)).Take(2).ToList();
        Assert.Equal([Utc(2026, 10, 25, 0, 30), Utc(2026, 10, 26, 1, 30)], autumn);
    }

    [Fact]
    public void Days_of_the_week_and_several_times_in_new_york()
    {
        var schedule = PublishSchedule.Parse("mon,wed,fri 09:30,18:00 America/New_York");

        // Thursday 15 January 2026, 20:00 UTC (15:00 EST): next are Friday 09:30 and 18:00, then Monday 09:30.
        var slots = schedule.SlotsAfter(Utc(2026, 1, 15, 20, 0)).Take(3).ToList();

        Assert.Equal([Utc(2026, 1, 16, 14, 30), Utc(2026, 1, 16, 23, 0), Utc(2026, 1, 19, 14, 30)], slots);
        Assert.Equal(schedule.NextFreeSlot(Utc(2026, 1, 15, 20, 0), [slots[0]]), slots[1]);
        Assert.Equal("mon,wed,fri 09:30,18:00 America/New_York", schedule.ToString());
    }

    [Theory]
    [InlineData("weekends 10:00 UTC", 2026, 1, 17)]
    [InlineData("weekdays 10:00 UTC", 2026, 1, 16)]
    [InlineData("Sunday 10:00 UTC", 2026, 1, 18)]
    public void Day_words(string text, int year, int month, int day)
    {
        // Friday 16 January 2026, 09:00 UTC: the next weekday slot is that morning, the weekend ones later.
        var next = PublishSchedule.Parse(text).NextFreeSlot(Utc(2026, 1, 16, 9, 0), None);
        Assert.Equal(new DateOnly(year, month, day), DateOnly.FromDateTime(next.UtcDateTime));
    }

    [Theory]
    [InlineData("", "expected '<days> <HH:mm> <time zone>'")]
    [InlineData("daily 17:00", "expected '<days> <HH:mm> <time zone>'")]
    [InlineData("daily at 17:00 Europe/Paris", "expected '<days> <HH:mm> <time zone>'")]
    [InlineData("dayly 17:00 Europe/Paris", "unknown day 'dayly'")]
    [InlineData("mon,fir 17:00 Europe/Paris", "unknown day 'fir'")]
    [InlineData("daily 25:00 Europe/Paris", "'25:00' is not a time of day")]
    [InlineData("daily 5pm Europe/Paris", "'5pm' is not a time of day")]
    [InlineData("daily 17:00 Europe/Pariss", "unknown time zone 'Europe/Pariss'")]
    public void Unreadable_slots_are_refused_with_the_reason(string text, string reason)
    {
        var e = Assert.Throws<PublishScheduleException>(() => PublishSchedule.Parse(text));

        Assert.Contains(reason, e.Message);
        Assert.Contains(reason, e.Reason);
        Assert.False(PublishSchedule.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);
}
