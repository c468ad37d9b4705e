using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Limits;
using Pipeline.Grains.Abstractions.Plans;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Limits;
using Pipeline.Grains.Steps;
using Pipeline.Grains.YouTube;

namespace Pipeline.Grains.Publishing;

/// <summary>
/// The upload step for a channel that has consented: a new upload takes its channel's next publish slot and a
/// lease on its Cloud project's daily quota, stores its session with the task before the first byte, and records
/// the video the moment YouTube names it; a task with a stored session resumes it instead (no quota, no second
/// video). Channels that never consented are not its business: the outbox publishes them.
/// </summary>
public sealed partial class YouTubePublisher(
    IGrainFactory grains,
    IServiceProvider services,
    ILocalSiloDetails silo,
    TimeProvider clock,
    ILogger<YouTubePublisher> logger)
{
    /// <summary>How long a new upload waits for its quota before the task says so.</summary>
    public static readonly TimeSpan NoteAfter = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan NoteEvery = TimeSpan.FromSeconds(10);

    // Retried a little after the reset, so the limiter has rolled its day over first.
    private static readonly TimeSpan AfterReset = TimeSpan.FromSeconds(30);

    /// <summary>Uploads the task's video to its channel.</summary>
    /// <returns>The step's result; null when the channel has no YouTube consent (publish to the outbox).</returns>
    public async Task<StepResult?> PublishAsync(StepRequest request, ChannelConfig? channel, Plan? plan, string video, CancellationToken cancellationToken)
    {
        var channelGrain = grains.GetGrain<IChannelGrain>(request.ChannelId);
        var access = await channelGrain.GetYouTubeAccess();
        if (access.EncryptedToken is not { } encrypted)
        {
            return null;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["TaskId"] = request.TaskId, ["ChannelId"] = request.ChannelId });
        if (services.GetService<YouTubeUploader>() is not { } uploader)
        {
            return request.Failed(
                $"channel {request.ChannelId} has a YouTube consent but this silo has no OAuth client: set YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET",
                permanent: true);
        }

        if (access.HoldReason is { } held)
        {
            return await OnHoldAsync(request, channelGrain, encrypted, held);
        }

        YouTubeCredential credential;
        try
        {
            credential = new YouTubeCredential(request.ChannelId, services.GetRequiredService<TokenCipher>().Decrypt(encrypted, request.ChannelId));
        }
        catch (Exception e) when (e is TokenCipherException or InvalidOperationException)
        {
            return request.Failed($"the YouTube consent of channel {request.ChannelId} cannot be read: {e.Message} A new consent replaces it.", permanent: true);
        }

        var youTube = channel?.YouTube ?? ChannelYouTubeConfig.Default;
        var task = grains.GetGrain<ITaskGrain>(request.TaskId);
        try
        {
            var sha256 = await FileHashes.Sha256Async(video, cancellationToken);
            UploadedVideo uploaded;
            if (request.YouTubeUploadSession is { } session && request.YouTubeUploadSha256 == sha256)
            {
                try
                {
                    uploaded = await uploader.ResumeAsync(credential, video, new Uri(session), cancellationToken);
                }
                catch (YouTubeUploadSessionGoneException e)
                {
                    // It may have made a video before it expired, and nothing here can tell: a person looks first.
                    await task.RecordYouTubeSession(request.RunId, null, null);
                    return request.Failed(
                        $"{e.Message} It may have made a video before it expired: check the channel's uploads, then retry the task to upload it again.",
                        permanent: true);
                }
            }
            else
            {
                if (request.YouTubeUploadSession is not null)
                {
                    LogFileChanged();
                }

                var metadata = await MetadataAsync(request, channelGrain, youTube, plan);
                await using var lease = await AcquireQuotaAsync(request, task, youTube, cancellationToken);
                uploaded = await uploader.UploadAsync(credential, video, metadata,
                    (uri, _) => task.RecordYouTubeSession(request.RunId, uri.ToString(), sha256), cancellationToken);
            }

            var url = uploaded.Url.ToString();
            try
            {
                await task.RecordYouTubeVideo(uploaded.VideoId, url);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The session is still stored: the next run resumes it and YouTube answers with this same video.
                return request.Failed($"YouTube made video {uploaded.VideoId} but it could not be recorded ({e.Message}); the next try gets it back");
            }

            return request.Succeeded(youTubeUrl: url);
        }
        catch (YouTubeAuthorizationRevokedException e)
        {
            return await OnHoldAsync(request, channelGrain, encrypted, YouTubeAuthorizationRevokedException.Reason + $" (Google: {e.Message})");
        }
        catch (YouTubeQuotaExceededException e)
        {
            return await OnQuotaExceededAsync(request, youTube, e);
        }
        catch (YouTubeUploadException e)
        {
            return request.Failed(e.Message, permanent: !e.Transient);
        }
        catch (ArgumentException e)
        {
            // A title empty once cleaned, or an upload dearer than the project's whole day.
            return request.Failed($"YouTube upload: {e.Message}", permanent: true);
        }
    }

    private async Task<YouTubeVideoMetadata> MetadataAsync(StepRequest request, IChannelGrain channel, ChannelYouTubeConfig youTube, Plan? plan)
    {
        var publishAt = await channel.TakePublishSlot(request.TaskId);
        return YouTubeVideoMetadata.Create(
            plan?.Title ?? request.Title,
            plan?.Description ?? request.Topic,
            plan?.Tags,
            youTube.CategoryId,
            Enum.Parse<PrivacyStatus>(youTube.Privacy, ignoreCase: true),
            youTube.MadeForKids,
            publishAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null);
    }

    /// <summary>
    /// A lease on the project's daily quota (units and one upload). While it waits, the task says what for and
    /// until when, in the limiter's words.
    /// </summary>
    private async Task<ProviderLease> AcquireQuotaAsync(StepRequest request, ITaskGrain task, ChannelYouTubeConfig youTube, CancellationToken cancellationToken)
    {
        var place = new LeaseRequest(Guid.NewGuid(), request.ChannelId, request.TaskId, "upload", request.Priority, clock.GetUtcNow().UtcDateTime,
            Units: youTube.UnitsPerUpload, Uploads: 1, Silo: silo.SiloAddress.ToParsableString());
        var acquiring = ProviderLease.AcquireAsync(grains, youTube.LimiterKey, place, clock, logger, cancellationToken);
        var noted = false;
        var wait = NoteAfter;
        while (await Task.WhenAny(acquiring, Task.Delay(wait, clock, CancellationToken.None)) != acquiring)
        {
            wait = NoteEvery;
            var limiter = await grains.GetGrain<IProviderLimiterGrain>(youTube.LimiterKey).GetState();
            var note = $"waiting for the daily YouTube quota of {youTube.LimiterKey}: {limiter.Holdup ?? "in line"}";
            if (limiter.Quota is { } quota && !note.Contains("until", StringComparison.Ordinal))
            {
                note += $" (the quota resets at {Utc(quota.ResetsAt)})";
            }

            noted |= await NoteAsync(task, request.RunId, note);
        }

        var lease = await acquiring;
        if (noted)
        {
            await NoteAsync(task, request.RunId, null);
        }

        return lease;
    }

    private async Task<bool> NoteAsync(ITaskGrain task, Guid runId, string? note)
    {
        try
        {
            await task.SetStepNote(runId, note);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNoteFailed(e.Message);
            return false;
        }
    }

    private async Task<StepResult> OnHoldAsync(StepRequest request, IChannelGrain channel, string encrypted, string reason)
    {
        var hold = await channel.HoldYouTube(encrypted, reason, request.TaskId);
        if (hold is null)
        {
            // A new consent arrived meanwhile: just try again soon.
            return request.Failed("the YouTube consent changed during the upload; trying again with the new one");
        }

        var text = $"YouTube uploads of channel {request.ChannelId} are on hold ({hold}): a new consent "
            + $"(GET /channels/{request.ChannelId}/youtube/consent) lifts the hold and retries this upload";
        return request.Failed(text, permanent: true, retryAt: null, reason: text);
    }

    private async Task<StepResult> OnQuotaExceededAsync(StepRequest request, ChannelYouTubeConfig youTube, YouTubeQuotaExceededException e)
    {
        var limiter = grains.GetGrain<IProviderLimiterGrain>(youTube.LimiterKey);
        var now = clock.GetUtcNow().UtcDateTime;
        DateTime reset;
        try
        {
            reset = (await limiter.GetState()).Quota?.ResetsAt ?? PacificMidnightAfter(now);
            // Nobody on this project uploads before then (the limiter caps one back-off, and is asked again by each refusal).
            await limiter.BackOff(reset - now, $"YouTube: {e.Reason}");
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            LogBackOffFailed(failure.Message);
            reset = PacificMidnightAfter(now);
        }

        var retryAt = reset + AfterReset;
        LogQuotaExceeded(e.Reason, retryAt);
        return request.Failed(e.Message, permanent: false, retryAt: retryAt,
            reason: $"YouTube refused the upload for quota ({e.Reason}); retrying after the quota of {youTube.LimiterKey} resets, at {Utc(retryAt)}");
    }

    private static DateTime PacificMidnightAfter(DateTime utcNow) =>
        QuotaDay.At(utcNow, QuotaDay.Zone("America/Los_Angeles"), TimeOnly.MinValue).ResetsAt;

    private static string Utc(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The video changed since its YouTube session was opened; a new upload starts")]
    private partial void LogFileChanged();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not show the quota wait on the task: {Reason}")]
    private partial void LogNoteFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the YouTube limiter to back off: {Reason}")]
    private partial void LogBackOffFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "YouTube quota exceeded ({Reason}): retrying at {RetryAt:O}")]
    private partial void LogQuotaExceeded(string reason, DateTime retryAt);
}
