using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Alerts;
using Pipeline.Grains.YouTube;

namespace Pipeline.Grains.Channels;

/// <summary>The channel's YouTube consent (its refresh token, encrypted), the hold a revoked consent puts on uploads, and its publish slots.</summary>
public sealed partial class ChannelGrain
{
    // Slots this far in the past are no video's any more: the list stays as short as the schedule ahead.
    private static readonly TimeSpan SlotMemory = TimeSpan.FromDays(2);

    public async Task ConnectYouTube(string encryptedToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(encryptedToken);
        var wasHeld = Current.YouTubeHoldReason is not null;
        var held = Current.YouTubeHeldTasks.ToList();
        Current.YouTubeToken = encryptedToken;
        Current.YouTubeConnectedAt = clock.GetUtcNow().UtcDateTime;
        Current.YouTubeHoldReason = null;
        Current.YouTubeHeldAt = null;
        Current.YouTubeHeldTasks = [];
        await SaveAsync();
        LogConnected(this.GetPrimaryKeyString(), wasHeld, held.Count);

        // Not awaited: a retry takes a slot from this grain, which must not be waiting on the task meanwhile.
        // A task that is no longer in upload_error refuses the retry, which is what it should do.
        foreach (var taskId in held)
        {
            _ = TaskOf(taskId).Retry(new HumanAction(Notes: "a new YouTube consent lifted the hold", By: "youtube consent"));
        }
    }

    public async Task<YouTubeAccess> GetYouTubeAccess()
    {
        if (Current.YouTubeToken is { } token && ReEncrypted(token) is { } fresh)
        {
            // A key rotation is under way: the token moves to the current key the first time it is used.
            Current.YouTubeToken = fresh;
            await SaveAsync();
            LogReEncrypted(this.GetPrimaryKeyString());
        }

        return new YouTubeAccess(Current.YouTubeToken, Current.YouTubeHoldReason);
    }

    public async Task<string?> HoldYouTube(string encryptedToken, string reason, string taskId)
    {
        if (Current.YouTubeToken is null || !string.Equals(Current.YouTubeToken, encryptedToken, StringComparison.Ordinal))
        {
            // A new consent came while the refused upload was on its way: that one is good.
            return null;
        }

        var newHold = Current.YouTubeHoldReason is null;
        if (newHold)
        {
            Current.YouTubeHoldReason = reason;
            Current.YouTubeHeldAt = clock.GetUtcNow().UtcDateTime;
        }

        if (Current.YouTubeHeldTasks.Add(taskId) || newHold)
        {
            await SaveAsync();
        }

        if (newHold)
        {
            var channel = this.GetPrimaryKeyString();
            LogHeld(channel, reason);
            ServiceProvider.GetRequiredService<AlertPublisher>().Raise(new Alert(
                $"YouTube uploads of channel {channel} are on hold",
                $"{reason}. Ask for a new consent (GET /channels/{channel}/youtube/consent) and open the URL as the channel's owner; "
                + "the uploads waiting for it go on by themselves.",
                taskId,
                channel));
        }

        return Current.YouTubeHoldReason;
    }

    public async Task<DateTime?> TakePublishSlot(string taskId)
    {
        if (Current.Config?.YouTube?.PublishSlots is not { } text || !PublishSchedule.TryParse(text, out var schedule, out _))
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (Current.PublishSlots.TryGetValue(taskId, out var kept) && kept > now)
        {
            return kept;
        }

        foreach (var (task, slot) in Current.PublishSlots.ToList())
        {
            if (slot < now - SlotMemory)
            {
                Current.PublishSlots.Remove(task);
            }
        }

        var taken = Current.PublishSlots.Where(s => s.Key != taskId).Select(s => new DateTimeOffset(s.Value, TimeSpan.Zero));
        var next = schedule.NextFreeSlot(new DateTimeOffset(now, TimeSpan.Zero), taken.ToList()).UtcDateTime;
        Current.PublishSlots[taskId] = next;
        await SaveAsync();
        return next;
    }

    /// <summary>The token under the current key when it was made with the previous one; null when nothing is to be done (or cannot be).</summary>
    private string? ReEncrypted(string token)
    {
        try
        {
            var cipher = ServiceProvider.GetRequiredService<TokenCipher>();
            return cipher.NeedsReEncryption(token) ? cipher.ReEncrypt(token, this.GetPrimaryKeyString()) : null;
        }
        catch (Exception e) when (e is TokenCipherException or InvalidOperationException)
        {
            // The upload will fail on it with the same message, where a person sees it.
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId} connected to YouTube (was on hold: {WasHeld}; {Held} held upload(s) retried)")]
    private partial void LogConnected(string channelId, bool wasHeld, int held);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: YouTube uploads on hold: {Reason}")]
    private partial void LogHeld(string channelId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: YouTube token re-encrypted with the current key")]
    private partial void LogReEncrypted(string channelId);
}
