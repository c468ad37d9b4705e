using System.Net.Http.Json;
using Microsoft.Extensions.Logging;

namespace Pipeline.Grains.Alerts;

/// <summary>
/// Raises alerts: always in the log (at Error, with task and channel ids), and to a
/// Slack-compatible incoming webhook when SLACK_WEBHOOK_URL is set. Sending never holds up
/// the caller and a failed send is logged, not thrown: an alert must not break the workflow.
/// </summary>
public sealed class AlertPublisher(HttpClient http, string? webhookUrl, ILogger<AlertPublisher> logger)
{
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
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await http.PostAsJsonAsync(
                webhookUrl, new { text = $":rotating_light: *{alert.Title}*{where}\n{alert.Detail}" }, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("The alert webhook answered {StatusCode}", (int)response.StatusCode);
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            logger.LogWarning("The alert webhook could not be reached: {Reason}", e.Message);
        }
    }
}
