using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Notion;

namespace Pipeline.Grains.Notion;

/// <summary>The webhook subscription's tokens (see <see cref="INotionWebhookGrain"/>). The tokens themselves are never logged.</summary>
public sealed partial class NotionWebhookGrain(
    [PersistentState("notionWebhook")] IPersistentState<NotionWebhookState> state,
    TimeProvider clock,
    ILogger<NotionWebhookGrain> logger) : Grain, INotionWebhookGrain
{
    public async Task RecordHandshake(string verificationToken)
    {
        state.State.PendingToken = verificationToken;
        state.State.PendingSince = clock.GetUtcNow().UtcDateTime;
        await state.WriteStateAsync();
        LogHandshake();
    }

    public async Task<bool> Confirm(string verificationToken)
    {
        if (state.State.PendingToken is not { } pending
            || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(pending), System.Text.Encoding.UTF8.GetBytes(verificationToken)))
        {
            return false;
        }

        state.State.SigningKey = pending;
        state.State.ConfirmedAt = clock.GetUtcNow().UtcDateTime;
        state.State.PendingToken = null;
        state.State.PendingSince = null;
        await state.WriteStateAsync();
        LogConfirmed();
        return true;
    }

    public Task<NotionWebhookStatus> GetStatus() => Task.FromResult(new NotionWebhookStatus(
        state.State.SigningKey, state.State.PendingToken, state.State.PendingSince, state.State.ConfirmedAt));

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Notion sent a webhook verification token. It signs nothing until confirmed: read it with GET /notion/webhook, paste it into Notion, and confirm it with POST /notion/webhook/confirm")]
    private partial void LogHandshake();

    [LoggerMessage(Level = LogLevel.Information, Message = "The Notion webhook verification token was confirmed; events signed with it are accepted")]
    private partial void LogConfirmed();
}
