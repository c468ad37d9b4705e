namespace Pipeline.Grains.YouTube;

/// <summary>
/// YouTube refused for quota or rate: <c>quotaExceeded</c>, <c>uploadLimitExceeded</c> (403), or
/// <c>rateLimitExceeded</c> (429). Not worth retrying before the quota resets (midnight Pacific).
/// </summary>
public sealed class YouTubeQuotaExceededException(string reason, int statusCode, Exception? inner = null)
    : YouTubeUploadException($"YouTube refused the upload for quota: {reason} (HTTP {statusCode}).", transient: true, statusCode, inner)
{
    /// <summary>YouTube's reason, e.g. <c>quotaExceeded</c>.</summary>
    public string Reason { get; } = reason;
}
