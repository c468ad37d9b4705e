using Microsoft.Extensions.Configuration;
using Pipeline.Grains.Tasks;

namespace Pipeline.Tests.Workflow;

public sealed class TaskOptionsTests
{
    [Fact]
    public void Without_settings_retries_wait_1_5_15_and_60_minutes_and_the_watchdog_ticks_every_2()
    {
        var options = TaskOptions.From(Configuration());

        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(60)], options.RetrySchedule);
        Assert.Equal(TimeSpan.FromMinutes(2), options.WatchdogPeriod);
    }

    [Fact]
    public void The_retry_schedule_is_read_in_order_as_seconds()
    {
        var options = TaskOptions.From(Configuration(("PIPELINE_RETRY_SCHEDULE", " 2, 4.5 ,3600"), ("PIPELINE_WATCHDOG_SECONDS", "90")));

        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4.5), TimeSpan.FromHours(1)], options.RetrySchedule);
        Assert.Equal(TimeSpan.FromSeconds(90), options.WatchdogPeriod);
    }

    [Theory]
    [InlineData("PIPELINE_RETRY_SCHEDULE", "60,soon", "'soon'")]
    [InlineData("PIPELINE_RETRY_SCHEDULE", "60,0", "'0'")]
    [InlineData("PIPELINE_RETRY_SCHEDULE", "-5", "'-5'")]
    [InlineData("PIPELINE_RETRY_SCHEDULE", "60,,300", "''")]
    [InlineData("PIPELINE_WATCHDOG_SECONDS", "30", "'30'")]
    [InlineData("PIPELINE_WATCHDOG_SECONDS", "two minutes", "'two minutes'")]
    public void A_bad_value_stops_the_silo_with_a_message_naming_the_setting_and_the_value(string name, string value, string quoted)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TaskOptions.From(Configuration((name, value))));

        Assert.Contains(name, error.Message);
        Assert.Contains(quoted, error.Message);
    }

    private static IConfiguration Configuration(params (string Name, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Name, (string?)v.Value))).Build();
}
