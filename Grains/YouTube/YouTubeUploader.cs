using System.Net;
using System.Runtime.ExceptionServices;
using Google;
using Google.Apis.Upload;
using Microsoft.Extensions.Logging;

namespace Pipeline.Grains.YouTube;

/// <summary>
/// Uploads a video to a channel with YouTube's resumable protocol, on Google.Apis' <see cref="ResumableUpload"/>.
/// The session URI goes to the caller to store before the first byte; after a crash, <see cref="ResumeAsync"/>
/// asks the server how much it has and sends only the rest, or, when the upload had in fact finished,
/// gets the video back without sending anything. Failures come back as distinct exceptions: quota, a
/// revoked authorization, a gone session, or <see cref="YouTubeUploadException"/> (transient or not).
/// </summary>
public sealed partial class YouTubeUploader(YouTubeUploaderOptions options, YouTubeAccessTokens tokens, ILogger<YouTubeUploader> logger)
{
    private static readonly HashSet<string> QuotaReasons = new(StringComparer.Ordinal)
    {
        "quotaExceeded", "uploadLimitExceeded", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded",
    };

    /// <summary>Starts a new upload session and sends the whole file.</summary>
    /// <param name="sessionStarted">
    /// Called with the session URI once the session is open and before any byte is sent; the upload waits
    /// for it. Store the URI: it is what <see cref="ResumeAsync"/> needs after a crash (and it lets anyone
    /// holding it upload into the session, so keep it with the task, not in logs).
    /// </param>
    /// <returns>The video YouTube made.</returns>
    public async Task<UploadedVideo> UploadAsync(YouTubeCredential credential, string videoPath, YouTubeVideoMetadata metadata,
        Func<Uri, CancellationToken, Task> sessionStarted, CancellationToken cancellationToken)
    {
        Uri? session = null;
        return await RunAsync(credential, videoPath, resuming: false, async (upload, token) =>
        {
            upload.Body = VideoResource.From(metadata);
            return await upload.UploadAsync(token);
        }, async (uri, token) =>
        {
            session = uri;
            LogSessionStarted(credential.ChannelId);
            await sessionStarted(uri, token);
        }, () => session is not null, cancellationToken);
    }

    /// <summary>
    /// Continues a session started earlier (by this or another process) from the byte the server acknowledged,
    /// with the same file. A session whose last byte had already arrived answers with its video: no byte is sent again.
    /// </summary>
    /// <exception cref="YouTubeUploadSessionGoneException">The server no longer knows the session (404/410).</exception>
    public Task<UploadedVideo> ResumeAsync(YouTubeCredential credential, string videoPath, Uri session, CancellationToken cancellationToken)
    {
        LogResuming(credential.ChannelId);
        return RunAsync(credential, videoPath, resuming: true, (upload, token) => upload.ResumeAsync(session, token),
            (_, _) => Task.CompletedTask, () => true, cancellationToken);
    }

    private async Task<UploadedVideo> RunAsync(YouTubeCredential credential, string videoPath, bool resuming,
        Func<ResumableUploadOfVideo, CancellationToken, Task<IUploadProgress>> run,
        Func<Uri, CancellationToken, Task> sessionStarted, Func<bool> sessionOpen, CancellationToken cancellationToken)
    {
        await using var video = new FileStream(videoPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        using var service = new YouTubeUploadService(options, new BearerCredential(tokens, credential));
        var upload = new ResumableUploadOfVideo(service, service.UploadPath, video, sessionStarted) { ChunkSize = options.ChunkSize };

        IUploadProgress progress;
        try
        {
            progress = await run(upload, cancellationToken);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Google.Apis lets cancellations through as they are; this one is HttpClient's timeout, not ours.
            throw new YouTubeUploadException("A YouTube upload request timed out; resume from the saved session.", transient: true, null, e);
        }

        if (progress.Status == UploadStatus.Completed)
        {
            var id = upload.ResponseBody?.Id;
            if (string.IsNullOrEmpty(id))
            {
                throw new YouTubeUploadException("YouTube finished the upload but answered without a video id.", transient: false);
            }

            LogUploaded(credential.ChannelId, id, resuming);
            return new UploadedVideo(id);
        }

        var failure = Classify(progress.Exception, credential.ChannelId, sessionOpen(), progress.BytesSent);
        LogFailed(credential.ChannelId, progress.BytesSent, failure.Message);
        ExceptionDispatchInfo.Throw(failure);
        throw failure;
    }

    private Exception Classify(Exception? exception, string channelId, bool sessionOpen, long acknowledged)
    {
        switch (exception)
        {
            case null:
                return new YouTubeUploadException($"The YouTube upload stopped ({acknowledged} bytes acknowledged) without saying why.", transient: true);
            case YouTubeUploadException or YouTubeAuthorizationRevokedException:
                return exception;
            case GoogleApiException api:
                var status = (int)api.HttpStatusCode;
                var reason = api.Error?.Errors?.Select(e => e.Reason).FirstOrDefault(r => r is not null && QuotaReasons.Contains(r));
                if (reason is not null || status == 429)
                {
                    return new YouTubeQuotaExceededException(reason ?? "rateLimitExceeded", status, api);
                }

                if (sessionOpen && status is 404 or 410)
                {
                    return new YouTubeUploadSessionGoneException(status, api);
                }

                if (api.HttpStatusCode == HttpStatusCode.Unauthorized)
                {
                    tokens.Forget(channelId);
                }

                return new YouTubeUploadException(
                    $"YouTube refused the upload: HTTP {status} {api.Error?.Message ?? api.Message} ({acknowledged} bytes acknowledged).",
                    transient: status is >= 500 or 401 or 408, status, api);
            case HttpRequestException or IOException:
                return new YouTubeUploadException(
                    $"The YouTube upload was interrupted ({exception.Message}) after {acknowledged} bytes acknowledged; resume from the saved session.",
                    transient: true, null, exception);
            default:
                // Not the network's nor YouTube's doing (e.g. the caller's session callback failed): as it was thrown.
                return exception;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "YouTube upload session opened for channel {ChannelId}")]
    private partial void LogSessionStarted(string channelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming a YouTube upload session for channel {ChannelId}")]
    private partial void LogResuming(string channelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Uploaded to YouTube for channel {ChannelId}: video {VideoId} (resumed: {Resumed})")]
    private partial void LogUploaded(string channelId, string videoId, bool resumed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "YouTube upload for channel {ChannelId} failed with {Acknowledged} bytes acknowledged: {Reason}")]
    private partial void LogFailed(string channelId, long acknowledged, string reason);
}
