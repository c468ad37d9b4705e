using Pipeline.Grains.Limits;

namespace Pipeline.Tests.Limits;

/// <summary>The request window and the quota day, on their own.</summary>
public sealed class LimiterArithmeticTests
{
    private static readonly DateTime T0 = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Three_requests_a_second_allow_three_per_window_and_the_fourth_when_the_first_leaves_it()
    {
        var rate = new RequestRate(3);
        Assert.Equal((3, TimeSpan.FromSeconds(1.25)), (rate.Burst, rate.Window));

        rate.Take(T0);
        rate.Take(T0.AddMilliseconds(10));
        Assert.Null(rate.FreeAt(T0.AddMilliseconds(20)));
        rate.Take(T0.AddMilliseconds(20));

        Assert.Equal(0, rate.Available(T0.AddMilliseconds(30)));
        Assert.Equal(T0 + rate.Window, rate.FreeAt(T0.AddMilliseconds(30)));
        Assert.Equal(1, rate.Available(T0 + rate.Window));
        Assert.Equal(3, rate.Available(T0.AddSeconds(5)));
    }

    [Fact]
    public void Requests_let_go_after_a_slow_write_count_from_when_they_went()
    {
        var rate = new RequestRate(3);
        rate.Take(T0);                       // decided at 0, let go at 500 ms after a slow write
        rate.Take(T0.AddMilliseconds(300));  // two decided and let go meanwhile
        rate.Take(T0.AddMilliseconds(300));
        rate.Retime(T0, T0.AddMilliseconds(500));

        Assert.Equal(T0.AddMilliseconds(300) + rate.Window, rate.FreeAt(T0.AddMilliseconds(400)));
        Assert.Equal(2, rate.Available(T0.AddMilliseconds(300) + rate.Window));
        Assert.Equal(3, rate.Available(T0.AddMilliseconds(500) + rate.Window));

        // Nothing was taken at 700 ms: nothing moves.
        var other = new RequestRate(1);
        other.Take(T0);
        other.Retime(T0.AddMilliseconds(700), T0.AddMilliseconds(900));
        Assert.Equal(T0 + other.Window, other.FreeAt(T0.AddMilliseconds(800)));
    }

    [Fact]
    public void A_rate_below_one_a_second_spaces_single_requests()
    {
        var rate = new RequestRate(0.5);
        Assert.Equal((1, TimeSpan.FromSeconds(2.5)), (rate.Burst, rate.Window));
        rate.Take(T0);
        Assert.Equal(T0 + rate.Window, rate.FreeAt(T0.AddSeconds(1)));
    }

    [Fact]
    public void A_new_rate_keeps_the_requests_already_made()
    {
        var rate = new RequestRate(2);
        rate.Take(T0);
        rate.Take(T0);
        var slower = rate.WithRate(1);
        Assert.Equal(0, slower.Available(T0.AddMilliseconds(500)));
        Assert.Equal(3, rate.WithRate(5).Available(T0.AddMilliseconds(500)));
    }

    [Fact]
    public void The_quota_day_turns_at_midnight_pacific_in_winter_and_in_summer()
    {
        var pacific = QuotaDay.Zone("America/Los_Angeles");

        // 07:59 UTC on 2 December is 23:59 the day before in Los Angeles (UTC-8).
        var winter = QuotaDay.At(new DateTime(2026, 12, 2, 7, 59, 0, DateTimeKind.Utc), pacific, TimeOnly.MinValue);
        Assert.Equal(new QuotaDay(new DateOnly(2026, 12, 1), new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc)), winter);
        var after = QuotaDay.At(new DateTime(2026, 12, 2, 8, 0, 0, DateTimeKind.Utc), pacific, TimeOnly.MinValue);
        Assert.Equal(new DateOnly(2026, 12, 2), after.Day);

        // In July Los Angeles is UTC-7.
        var summer = QuotaDay.At(new DateTime(2026, 7, 10, 12, 0, 0, DateTimeKind.Utc), pacific, TimeOnly.MinValue);
        Assert.Equal(new DateTime(2026, 7, 11, 7, 0, 0, DateTimeKind.Utc), summer.ResetsAt);
    }

    [Fact]
    public void A_reset_inside_the_spring_forward_gap_happens_when_the_clocks_resume()
    {
        // Berlin skips 02:00-03:00 on 29 March 2026.
        var berlin = QuotaDay.Zone("Europe/Berlin");
        var day = QuotaDay.At(new DateTime(2026, 3, 28, 12, 0, 0, DateTimeKind.Utc), berlin, new TimeOnly(2, 30));
        Assert.Equal(new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc), day.ResetsAt);
    }

    [Fact]
    public void Without_a_zone_the_day_follows_utc_and_the_reset_time()
    {
        var day = QuotaDay.At(T0, QuotaDay.Zone(null), new TimeOnly(13, 0));
        Assert.Equal(new QuotaDay(new DateOnly(2026, 12, 1), T0.AddHours(1)), day);
    }
}
