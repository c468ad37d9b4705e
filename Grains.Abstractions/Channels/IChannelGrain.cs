using Orleans.Concurrency;

namespace Pipeline.Grains.Abstractions.Channels;

/// <summary>
/// One channel (key: channel id): its configuration, and its slots — it starts its queued tasks
/// while fewer than <see cref="ChannelConfig.MaxConcurrentVideos"/> are in flight, highest
/// priority first, then oldest.
/// </summary>
public interface IChannelGrain : IGrainWithStringKey
{
    /// <summary>The persisted state (also what the Orleans Dashboard shows).</summary>
    /// <returns>The state.</returns>
    Task<ChannelState> GetState();

    /// <summary>The channel's configuration; null when channels.yaml never named it.</summary>
    /// <returns>The configuration.</returns>
    [AlwaysInterleave]
    Task<ChannelConfig?> GetConfig();

    /// <summary>A new configuration from channels.yaml; a higher limit starts waiting tasks at once.</summary>
    /// <param name="config">The configuration.</param>
    /// <returns>When applied.</returns>
    Task Configure(ChannelConfig config);

    /// <summary>A task entered queued: it waits for a slot.</summary>
    /// <param name="taskId">The task.</param>
    /// <param name="priority">Higher first.</param>
    /// <param name="queuedAt">Then oldest first.</param>
    /// <returns>When recorded.</returns>
    Task Enqueue(string taskId, int priority, DateTime queuedAt);

    /// <summary>A task left the line or its slot (published, cancelled, stuck in an error); the next one may start.</summary>
    /// <param name="taskId">The task.</param>
    /// <returns>When recorded.</returns>
    Task Release(string taskId);

    /// <summary>A person restarted a task (a human retry): it takes a slot even above the limit, because a person asked.</summary>
    /// <param name="taskId">The task.</param>
    /// <returns>When recorded.</returns>
    Task Acquire(string taskId);

    /// <summary>Stores a new YouTube consent (the refresh token, already encrypted for this channel) and lifts any hold: the uploads it held are retried.</summary>
    /// <param name="encryptedToken">TokenCipher's ciphertext of the refresh token.</param>
    /// <returns>When stored.</returns>
    Task ConnectYouTube(string encryptedToken);

    /// <summary>The channel's YouTube credential (encrypted; a key rotation re-encrypts it here) and any hold, for an upload.</summary>
    /// <returns>Not connected, on hold, or the token to decrypt.</returns>
    Task<YouTubeAccess> GetYouTubeAccess();

    /// <summary>
    /// Google refused the channel's refresh token (<c>invalid_grant</c>): uploads go on hold until a new consent, with
    /// one alert. The task is retried when the hold is lifted.
    /// </summary>
    /// <param name="encryptedToken">The token that was refused; a hold for a token replaced since is ignored.</param>
    /// <param name="reason">Why, for people.</param>
    /// <param name="taskId">The task whose upload was refused.</param>
    /// <returns>The hold's reason in force; null when the token was replaced by a new consent meanwhile.</returns>
    Task<string?> HoldYouTube(string encryptedToken, string reason, string taskId);

    /// <summary>The task's publish time: the first of the channel's publish slots after now that no other video has, kept for the task.</summary>
    /// <param name="taskId">The task.</param>
    /// <returns>The time (UTC); null when the channel has no publish slots (publish when uploaded).</returns>
    Task<DateTime?> TakePublishSlot(string taskId);
}
