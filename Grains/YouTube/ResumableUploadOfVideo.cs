using Google.Apis.Services;
using Google.Apis.Upload;
using Google.Apis.Util;

namespace Pipeline.Grains.YouTube;

/// <summary>
/// <c>videos.insert</c> as a Google.Apis resumable upload: the metadata goes in the session's first POST
/// (<c>part=snippet,status</c>), the video resource comes back in <see cref="ResumableUpload{TRequest, TResponse}.ResponseBody"/>.
/// </summary>
internal sealed class ResumableUploadOfVideo(
    IClientService service,
    string path,
    Stream video,
    Func<Uri, CancellationToken, Task> sessionStarted)
    : ResumableUpload<VideoResource, VideoResource>(service, path, "POST", video, "video/mp4")
{
    [RequestParameter("part", RequestParameterType.Query)]
    public string Part { get; } = "snippet,status";

    /// <summary>
    /// Opens the session, then waits for the caller to have stored its URI before a byte is sent, so a crash at
    /// any later moment can resume it. (Google.Apis' <c>UploadSessionData</c> event reports the URI at the same
    /// point, but as a synchronous callback that cannot wait for a write.)
    /// </summary>
    public override async Task<Uri> InitiateSessionAsync(CancellationToken cancellationToken = default)
    {
        var session = await base.InitiateSessionAsync(cancellationToken)
            ?? throw new YouTubeUploadException("YouTube opened no upload session (no Location header).", transient: true);
        await sessionStarted(session, cancellationToken);
        return session;
    }
}
