namespace Pipeline.Grains.YouTube;

/// <summary>An upload (or the token refresh before it) that failed for another reason than quota, revocation or a lost session.</summary>
/// <param name="transient">True when trying again later may work: 5xx, 429, network failures, an interrupted upload.</param>
/// <param name="statusCode">The HTTP status, when there was an answer.</param>
public class YouTubeUploadException(string message, bool transient, int? statusCode = null, Exception? inner = null) : Exception(message, inner)
{
    public bool Transient { get; } = transient;

    public int? StatusCode { get; } = statusCode;
}
