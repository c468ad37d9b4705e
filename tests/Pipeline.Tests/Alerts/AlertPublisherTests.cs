using Microsoft.Extensions.Logging;
using Pipeline.Grains.Alerts;
using Pipeline.Tests.Infrastructure;
using Pipeline.Tests.Jobs;

namespace Pipeline.Tests.Alerts;

public sealed class AlertPublisherTests : IAsyncDisposable
{
    private static readonly TimeSpan[] ShortWaits = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(150)];

    private readonly FakeSlack _slack = new();
    private readonly HttpClient _http = new();
    private readonly CapturingLogger<AlertPublisher> _log = new();

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task A_webhook_that_fails_for_a_while_gets_the_alert_when_it_is_back()
    {
        _slack.FailNext(503, times: 2);
        var alerts = new AlertPublisher(_http, _slack.Url, _log, ShortWaits);

        alerts.Raise(new Alert("Assembly failed 5 times", "ffmpeg exited with 1", "task-1", "alpha"));

        var messages = await Eventually.GetAsync(() => Task.FromResult(_slack.Messages), m => m.Count == 3, TimeSpan.FromSeconds(10), "three attempts");
        Assert.All(messages, m => Assert.Contains("Assembly failed 5 times", m));
        Assert.Equal(2, _log.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("503")));
        Assert.DoesNotContain(_log.Entries, e => e.Message.Contains("did not reach"));
    }

    [Fact]
    public async Task A_webhook_that_refuses_the_alert_is_not_asked_again_and_the_log_says_so()
    {
        _slack.FailNext(404, "no_service");
        var alerts = new AlertPublisher(_http, _slack.Url, _log, ShortWaits);

        alerts.Raise(new Alert("Upload failed", "quota", "task-2", "beta"));

        var entry = await Eventually.GetAsync(() => Task.FromResult(_log.Entries.FirstOrDefault(e => e.Message.Contains("did not reach"))),
            e => e is not null, TimeSpan.FromSeconds(10), "the undelivered alert in the log");
        Assert.Equal(LogLevel.Error, entry!.Level);
        Assert.Contains("task-2", entry.Message);
        Assert.Contains("404", entry.Message);
        await Task.Delay(500);
        Assert.Single(_slack.Messages);
        Assert.DoesNotContain(_log.Entries, e => e.Everything.Contains(_slack.Url));
    }

    [Fact]
    public async Task Retries_stop_after_the_last_wait()
    {
        _slack.FailNext(500, times: 10);
        var alerts = new AlertPublisher(_http, _slack.Url, _log, ShortWaits);

        alerts.Raise(new Alert("Render failed", "out of memory", "task-3", "gamma"));

        await Eventually.GetAsync(() => Task.FromResult(_log.Entries.Any(e => e.Message.Contains("after 4 attempt(s)"))),
            found => found, TimeSpan.FromSeconds(10), "the give-up after 1 + 3 attempts");
        await Task.Delay(500);
        Assert.Equal(4, _slack.Messages.Count);
    }
}
