namespace Pipeline.Grains.YouTube;

/// <summary>
/// The saved upload session no longer exists (404 or 410: it expired, about a week after it began, or was
/// cancelled). Whether to start a new session is the caller's decision: a session that ended before it
/// expired would have answered with its video, so a gone session that was fully sent long ago is worth a
/// look at the channel before uploading again.
/// </summary>
public sealed class YouTubeUploadSessionGoneException(int statusCode, Exception? inner = null)
    : YouTubeUploadException($"The YouTube upload session is gone (HTTP {statusCode}): a new upload would start from the first byte.",
        transient: false, statusCode, inner);
