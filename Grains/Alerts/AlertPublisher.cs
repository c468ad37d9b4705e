using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace Pipeline.Grains.Alerts;

/// <summary>
/// Raises alerts: always in the log (at Error, with task and channel ids), and to a
/// Slack-compatible incoming webhook when SLACK_WEBHOOK_URL is set. Sending never holds up
/// the caller and a failed send is logged, not thrown: an alert must not break the workflow.
/// A webhook that cannot be reached or answers 408, 429 or 5xx is tried again after each of
/// <paramref name="retryWaits"/>, so a short Slack outage does not swallow an alert.
/// </summary>
public sealed partial class AlertPublisher(HttpClient http, string? webhookUrl, ILogger<AlertPublisher> logger, IReadOnlyList<TimeSpan>? retryWaits = null)
{
    /// <summary>About a quarter of an hour in all, then the log alone has it.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultRetryWaits =
        [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10)];

    private readonly IReadOnlyList<TimeSpan> _retryWaits = retryWaits ?? DefaultRetryWaits;

    public void Raise(Alert alert)
    {
        logger.LogError("Alert: {AlertTitle}. {AlertDetail} (task {TaskId}, channel {ChannelId})",
            alert.Title, alert.Detail, alert.TaskId, alert.ChannelId);
        if (webhookUrl is null)
        {
            return;
        }

        _ = SendAsync(alert);
    }

    private async Task SendAsync(Alert alert)
    {
        var where = alert.TaskId is null ? "" : $" — task `{alert.TaskId}` on `{alert.ChannelId}`";
        var text = $":rotating_light: *{alert.Title}*{where}\n{alert.Detail}";
        for (var attempt = 1; ; attempt++)
        {
            if (await TrySendAsync(text) is not { } failure)
            {
                return;
            }

            if (!failure.Transient || attempt > _retryWaits.Count)
            {
                LogNotDelivered(alert.Title, alert.TaskId, attempt, failure.Reason);
                return;
            }

            var wait = _retryWaits[attempt - 1];
            LogTryingAgain(failure.Reason, wait);
            await Task.Delay(wait);
        }
    }

    /// <returns>Null when delivered; otherwise why not, and whether trying again may help.</returns>
    private async Task<(bool Transient, string Reason)?> TrySendAsync(string text)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await http.PostAsJsonAsync(webhookUrl, new { text }, timeout.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? null : (status is 408 or 429 or >= 500, $"it answered {status}");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return (true, e.Message);
        }
    }

    // The webhook's URL is its secret: it is never logged.
    [LoggerMessage(Level = LogLevel.Warning, Message = "The alert webhook failed ({Reason}); trying again in {Wait}")]
    private partial void LogTryingAgain(string reason, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Error, Message = "The alert '{AlertTitle}' (task {TaskId}) did not reach the webhook after {Attempts} attempt(s): {Reason}; it is only in this log")]
    private partial void LogNotDelivered(string alertTitle, string? taskId, int attempts, string reason);
}
