using System.Net;

namespace Pipeline.Grains.Notion;

/// <summary>
/// A Notion call that failed: Notion's HTTP status, its error <c>code</c> and <c>message</c> as sent, and
/// whether trying again later can help. Rate limits (429, with their Retry-After), conflicts (409), server
/// errors (5xx) and network failures are transient; bad requests, a bad token, missing access and unknown
/// ids (400, 401, 403, 404) are permanent. The message names the request, never the token.
/// </summary>
public sealed class NotionException : Exception
{
    /// <param name="status">The HTTP status, or null when no answer came.</param>
    /// <param name="code">Notion's error code (e.g. <c>object_not_found</c>), or ours for failures with no Notion answer.</param>
    /// <param name="notionMessage">Notion's message.</param>
    /// <param name="isTransient">Whether a later try may succeed.</param>
    /// <param name="retryAfter">How long Notion asked us to wait (429).</param>
    /// <param name="request">The method and path, for the message.</param>
    /// <param name="requestId">Notion's request id, for support.</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public NotionException(
        HttpStatusCode? status, string code, string notionMessage, bool isTransient, TimeSpan? retryAfter, string request,
        string? requestId = null, Exception? inner = null)
        : base(Describe(status, code, notionMessage, request, retryAfter), inner)
    {
        Status = status;
        Code = code;
        NotionMessage = notionMessage;
        IsTransient = isTransient;
        RetryAfter = retryAfter;
        Request = request;
        RequestId = requestId;
    }

    /// <summary>Our code when no answer came (connection refused or reset, timeout).</summary>
    public const string NetworkErrorCode = "network_error";

    /// <summary>Our code when Notion answered success with a body we cannot read.</summary>
    public const string InvalidResponseCode = "invalid_response";

    /// <summary>Our code when a database has no data source, or more than one, where exactly one is needed.</summary>
    public const string AmbiguousDatabaseCode = "ambiguous_database";

    /// <summary>The HTTP status, or null when no answer came.</summary>
    public HttpStatusCode? Status { get; }

    /// <summary>Notion's error code (e.g. <c>rate_limited</c>, <c>validation_error</c>), or one of ours.</summary>
    public string Code { get; }

    /// <summary>Notion's message as sent.</summary>
    public string NotionMessage { get; }

    /// <summary>Whether trying again later may succeed.</summary>
    public bool IsTransient { get; }

    /// <summary>How long Notion asked us to wait before the next request (429), when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The request that failed, e.g. <c>PATCH /v1/pages/…</c>.</summary>
    public string Request { get; }

    /// <summary>Notion's request id, when it sent one.</summary>
    public string? RequestId { get; }

    /// <summary>Whether a status is worth trying again: 408, 409, 429 and every 5xx.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <returns>True when transient.</returns>
    public static bool IsTransientStatus(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static string Describe(HttpStatusCode? status, string code, string message, string request, TimeSpan? retryAfter) =>
        $"Notion {request} failed: {(status is { } s ? $"{(int)s} " : "")}{code}: {message}"
        + (retryAfter is { } wait ? $" (retry after {wait.TotalSeconds:0.###} s)" : "");
}
