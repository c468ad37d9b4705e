using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Web;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Fakes;

/// <summary>
/// Google's OAuth token endpoint and YouTube's resumable <c>videos.insert</c> on 127.0.0.1, speaking their
/// wire formats: codes and refresh tokens (revocable: <c>invalid_grant</c>), sessions opened by a POST that
/// answer with a Location, chunks PUT with Content-Range, 308 with Range, status queries with
/// <c>bytes */N</c>, and the video resource at the end. It can break an upload after so many bytes (the
/// connection dropped, or 503s) and stay broken until <see cref="Recover"/>, as a crash would look to the
/// client; it counts the videos it made, and records every byte range it accepted.
/// </summary>
/// <remarks>
/// Not on <see cref="FakeHttpServer"/>: that one always answers, and this one must be able to hang up.
/// </remarks>
public sealed class FakeYouTube : IAsyncDisposable
{
    public const string ClientId = "pipeline-test.apps.googleusercontent.com";
    public const string ClientSecret = "test-client-secret-9b4f";
    public const string UploadPath = "/upload/youtube/v3/videos";
    public const string TokenPath = "/token";
    public const string ConsentPath = "/o/oauth2/v2/auth";

    private readonly HttpListener _listener = new();
    private readonly Task _serving;
    private readonly object _gate = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Dictionary<string, string?> _codes = [];
    private readonly HashSet<string> _refreshTokens = [];
    private readonly HashSet<string> _accessTokens = [];
    private readonly Dictionary<string, Session> _sessions = [];
    private readonly List<FakeVideo> _videos = [];
    private readonly List<ReceivedRange> _ranges = [];
    private readonly List<string> _grants = [];
    private (int Status, string Reason)? _sessionStartFailure;
    private long? _interruptAfter;
    private Interruption _interruption;
    private Interruption? _down;
    private int? _failuresLeft;
    private int? _failures;
    private int _counter;

    public FakeYouTube()
    {
        BaseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _serving = ServeAsync();
    }

    /// <summary>How an interrupted upload looks to the client.</summary>
    public enum Interruption
    {
        /// <summary>The connection closes without an answer, as when the server or the network goes away.</summary>
        DropConnection,

        /// <summary>503 Service Unavailable.</summary>
        ServiceUnavailable,
    }

    public string BaseUrl { get; }

    public string UploadEndpoint => BaseUrl + UploadPath;

    /// <summary>The settings that point the pipeline here.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["YOUTUBE_CLIENT_ID"] = ClientId,
        ["YOUTUBE_CLIENT_SECRET"] = ClientSecret,
        ["GOOGLE_OAUTH_BASE_URL"] = BaseUrl,
        ["YOUTUBE_UPLOAD_BASE_URL"] = UploadEndpoint,
    };

    /// <summary>expires_in of the access tokens it issues.</summary>
    public int AccessTokenSeconds { get; set; } = 3599;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>The grant_type of every token request, in order.</summary>
    public IReadOnlyList<string> TokenGrants
    {
        get { lock (_gate) { return [.. _grants]; } }
    }

    public IReadOnlyList<FakeVideo> Videos
    {
        get { lock (_gate) { return [.. _videos]; } }
    }

    public int VideosCreated
    {
        get { lock (_gate) { return _videos.Count; } }
    }

    /// <summary>Every chunk of bytes accepted, in order: which session, first and last byte.</summary>
    public IReadOnlyList<ReceivedRange> Ranges
    {
        get { lock (_gate) { return [.. _ranges]; } }
    }

    /// <summary>Empty PUTs asking how much a session has.</summary>
    public int StatusQueries => Requests.Count(r => r.Method == "PUT" && r.Header("Content-Range") is { } range && range.StartsWith("bytes */", StringComparison.Ordinal));

    /// <summary>A code that the token endpoint trades for <paramref name="refreshToken"/> (a new one when null), once.</summary>
    public string IssueCode(string? refreshToken = null)
    {
        lock (_gate)
        {
            var code = $"4/code-{++_counter}";
            _codes[code] = refreshToken;
            return code;
        }
    }

    /// <summary>A refresh token it knows, as if a consent had happened before.</summary>
    public string IssueRefreshToken()
    {
        lock (_gate)
        {
            var token = $"1//refresh-{++_counter}-{Guid.NewGuid():N}";
            _refreshTokens.Add(token);
            return token;
        }
    }

    /// <summary>From now on this refresh token gets <c>invalid_grant</c>, as when the user revokes access.</summary>
    public void Revoke(string refreshToken)
    {
        lock (_gate)
        {
            _refreshTokens.Remove(refreshToken);
        }
    }

    /// <summary>
    /// The next upload keeps its first <paramref name="bytes"/> and then the server breaks: every upload request
    /// fails as <paramref name="how"/> says, until <see cref="Recover"/>, or for <paramref name="failures"/> requests
    /// (the one that broke included). With <paramref name="bytes"/> at least the video's size, the video is made
    /// and only the answer is lost.
    /// </summary>
    public void InterruptAfter(long bytes, Interruption how = Interruption.DropConnection, int? failures = null)
    {
        lock (_gate)
        {
            _interruptAfter = bytes;
            _interruption = how;
            _failures = failures;
        }
    }

    /// <summary>The server answers again.</summary>
    public void Recover()
    {
        lock (_gate)
        {
            _down = null;
            _failuresLeft = null;
        }
    }

    /// <summary>The next session start fails with <paramref name="status"/> and YouTube's error <paramref name="reason"/> (e.g. 403 quotaExceeded).</summary>
    public void FailNextSessionStart(int status, string reason)
    {
        lock (_gate)
        {
            _sessionStartFailure = (status, reason);
        }
    }

    /// <summary>Every access token issued so far stops working (401), as when Google expires them early.</summary>
    public void InvalidateAccessTokens()
    {
        lock (_gate)
        {
            _accessTokens.Clear();
        }
    }

    /// <summary>Every session so far is forgotten: asking about one gets 404, as after a week.</summary>
    public void ExpireSessions()
    {
        lock (_gate)
        {
            _sessions.Clear();
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            await AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var query = context.Request.QueryString.AllKeys.OfType<string>().ToDictionary(k => k, k => context.Request.QueryString[k] ?? "");
        var headers = context.Request.Headers.AllKeys.OfType<string>()
            .ToDictionary(k => k, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
        var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url?.AbsolutePath ?? "/", query, headers, body.ToArray());
        _requests.Enqueue(request);

        FakeResponse? response;
        try
        {
            lock (_gate)
            {
                response = Route(request);
            }
        }
        catch (Exception e)
        {
            response = FakeResponse.Text(500, $"the fake failed: {e}");
        }

        try
        {
            if (response is null)
            {
                // HttpListener's Abort alone still answers 200 with an empty body; a body cut short is a real hang-up.
                context.Response.StatusCode = 500;
                context.Response.ContentLength64 = 1_000;
                await context.Response.OutputStream.WriteAsync(new byte[1]);
                await context.Response.OutputStream.FlushAsync();
                context.Response.Abort();
                return;
            }

            context.Response.StatusCode = response.Status;
            context.Response.ContentType = response.ContentType;
            foreach (var (name, value) in response.Headers)
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentLength64 = response.Body.Length;
            await context.Response.OutputStream.WriteAsync(response.Body);
            context.Response.Close();
        }
        catch (HttpListenerException)
        {
            // The client hung up; nothing to answer.
        }
    }

    // Null: hang up without an answer.
    private FakeResponse? Route(RecordedRequest request) => (request.Method, request.Path) switch
    {
        ("POST", TokenPath) => Token(request),
        ("GET", ConsentPath) => Consent(request),
        ("POST", UploadPath) => StartSession(request),
        ("PUT", UploadPath) => Put(request),
        _ => ApiError(404, "notFound", $"no route for {request.Method} {request.Path}"),
    };

    private FakeResponse Token(RecordedRequest request)
    {
        var form = HttpUtility.ParseQueryString(request.BodyText);
        var grant = form["grant_type"] ?? "";
        _grants.Add(grant);
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return OAuthError(401, "invalid_client", "The OAuth client was not found.");
        }

        switch (grant)
        {
            case "authorization_code":
                if (form["code"] is not { } code || !_codes.Remove(code, out var refresh))
                {
                    return OAuthError(400, "invalid_grant", "Malformed auth code.");
                }

                if (string.IsNullOrEmpty(form["redirect_uri"]))
                {
                    return OAuthError(400, "invalid_request", "Missing parameter: redirect_uri");
                }

                refresh ??= $"1//refresh-{++_counter}-{Guid.NewGuid():N}";
                _refreshTokens.Add(refresh);
                return FakeResponse.Json(new Dictionary<string, object>
                {
                    ["access_token"] = NewAccessToken(),
                    ["expires_in"] = AccessTokenSeconds,
                    ["refresh_token"] = refresh,
                    ["scope"] = "https://www.googleapis.com/auth/youtube.upload",
                    ["token_type"] = "Bearer",
                });
            case "refresh_token":
                if (form["refresh_token"] is not { } token || !_refreshTokens.Contains(token))
                {
                    return OAuthError(400, "invalid_grant", "Token has been expired or revoked.");
                }

                return FakeResponse.Json(new Dictionary<string, object>
                {
                    ["access_token"] = NewAccessToken(),
                    ["expires_in"] = AccessTokenSeconds,
                    ["scope"] = "https://www.googleapis.com/auth/youtube.upload",
                    ["token_type"] = "Bearer",
                });
            default:
                return OAuthError(400, "unsupported_grant_type", $"Invalid grant_type: {grant}");
        }
    }

    // A person who says yes at once: back to the redirect URI with a code and the state untouched.
    private FakeResponse Consent(RecordedRequest request)
    {
        if (request.Query.GetValueOrDefault("client_id") != ClientId || !request.Query.TryGetValue("redirect_uri", out var redirect))
        {
            return FakeResponse.Text(400, "invalid_request");
        }

        var code = $"4/code-{++_counter}";
        _codes[code] = null;
        var state = Uri.EscapeDataString(request.Query.GetValueOrDefault("state") ?? "");
        return FakeResponse.Text(302, "").WithHeader("Location", $"{redirect}?code={Uri.EscapeDataString(code)}&state={state}");
    }

    private FakeResponse StartSession(RecordedRequest request)
    {
        if (request.Header("Authorization") is not { } authorization || !_accessTokens.Contains(authorization.Replace("Bearer ", "", StringComparison.Ordinal)))
        {
            return ApiError(401, "authError", "Invalid Credentials");
        }

        if (_sessionStartFailure is { } failure)
        {
            _sessionStartFailure = null;
            return ApiError(failure.Status, failure.Reason, $"The request cannot be completed because of {failure.Reason}.");
        }

        if (request.Query.GetValueOrDefault("uploadType") != "resumable"
            || request.Query.GetValueOrDefault("part") is not { } part || !part.Contains("snippet", StringComparison.Ordinal) || !part.Contains("status", StringComparison.Ordinal)
            || !long.TryParse(request.Header("X-Upload-Content-Length"), CultureInfo.InvariantCulture, out var total))
        {
            return ApiError(400, "invalidArgument", "expected uploadType=resumable, part=snippet,status and X-Upload-Content-Length");
        }

        var id = $"session-{++_counter}";
        _sessions[id] = new Session(id, total, request.Json());
        return FakeResponse.Text(200, "").WithHeader("Location", $"{UploadEndpoint}?uploadType=resumable&upload_id={id}");
    }

    private FakeResponse? Put(RecordedRequest request)
    {
        if (_down is { } down)
        {
            return Broken(down);
        }

        if (request.Query.GetValueOrDefault("upload_id") is not { } id || !_sessions.TryGetValue(id, out var session))
        {
            return ApiError(404, "notFound", "No such upload session.");
        }

        var range = request.Header("Content-Range") ?? "";
        if (range.StartsWith("bytes */", StringComparison.Ordinal))
        {
            return session.Video is { } done ? VideoJson(done) : Incomplete(session);
        }

        if (!TryReadRange(range, out var first, out var last) || first > session.Data.Length || last - first + 1 != request.Body.Length)
        {
            return ApiError(400, "badContent", $"Content-Range '{range}' does not follow what was received ({session.Data.Length} bytes)");
        }

        // Bytes from 'first' replace what was there: a client may send again what was not acknowledged.
        var keep = request.Body.Length;
        var interrupt = _interruptAfter is { } limit && first + keep >= Math.Min(limit, session.Total);
        if (interrupt)
        {
            keep = (int)Math.Max(0, Math.Min(keep, _interruptAfter!.Value - first));
            _interruptAfter = null;
            _down = _interruption;
            _failuresLeft = _failures;
        }

        session.Data.SetLength(first);
        session.Data.Position = first;
        session.Data.Write(request.Body, 0, keep);
        if (keep > 0)
        {
            _ranges.Add(new ReceivedRange(session.Id, first, first + keep - 1));
        }

        if (session.Data.Length == session.Total && session.Video is null)
        {
            session.Video = new FakeVideo($"vid{++_counter:D8}", session.Metadata, session.Data.ToArray());
            _videos.Add(session.Video);
        }

        if (interrupt)
        {
            return Broken(_interruption);
        }

        return session.Video is { } video ? VideoJson(video) : Incomplete(session);
    }

    private FakeResponse? Broken(Interruption how)
    {
        if (_failuresLeft is not null && --_failuresLeft <= 0)
        {
            _down = null;
            _failuresLeft = null;
        }

        return how == Interruption.DropConnection ? null : ApiError(503, "backendError", "Service unavailable, try again");
    }

    private static FakeResponse Incomplete(Session session)
    {
        var response = new FakeResponse(308, [], "text/plain");
        // No Range header at all when nothing has arrived, as Google does.
        return session.Data.Length == 0 ? response : response.WithHeader("Range", $"bytes=0-{session.Data.Length - 1}");
    }

    private static FakeResponse VideoJson(FakeVideo video)
    {
        var resource = JsonSerializer.Deserialize<Dictionary<string, object?>>(video.Metadata.GetRawText()) ?? [];
        resource["kind"] = "youtube#video";
        resource["id"] = video.Id;
        return FakeResponse.Json(resource);
    }

    private static bool TryReadRange(string header, out long first, out long last)
    {
        first = last = -1;
        if (!header.StartsWith("bytes ", StringComparison.Ordinal))
        {
            return false;
        }

        var span = header["bytes ".Length..];
        var dash = span.IndexOf('-');
        var slash = span.IndexOf('/');
        return dash > 0 && slash > dash
            && long.TryParse(span[..dash], CultureInfo.InvariantCulture, out first)
            && long.TryParse(span[(dash + 1)..slash], CultureInfo.InvariantCulture, out last)
            && last >= first;
    }

    private string NewAccessToken()
    {
        var token = $"ya29.access-{++_counter}-{Guid.NewGuid():N}";
        _accessTokens.Add(token);
        return token;
    }

    private static FakeResponse OAuthError(int status, string error, string description) =>
        FakeResponse.Json(new { error, error_description = description }, status);

    private static FakeResponse ApiError(int status, string reason, string message) => FakeResponse.Json(new
    {
        error = new
        {
            code = status,
            message,
            errors = new[] { new { domain = reason is "quotaExceeded" or "uploadLimitExceeded" ? "youtube.quota" : "global", reason, message } },
        },
    }, status);

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        await _serving;
    }

    private sealed class Session(string id, long total, JsonElement metadata)
    {
        public string Id { get; } = id;

        public long Total { get; } = total;

        public JsonElement Metadata { get; } = metadata;

        public MemoryStream Data { get; } = new();

        public FakeVideo? Video { get; set; }
    }
}

/// <summary>A video the fake YouTube made: its id, the metadata its session was opened with, and its bytes.</summary>
public sealed record FakeVideo(string Id, JsonElement Metadata, byte[] Content);

/// <summary>Bytes <paramref name="First"/> to <paramref name="Last"/> (inclusive) of a session, accepted in one PUT.</summary>
public sealed record ReceivedRange(string Session, long First, long Last);
