using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Fakes;

/// <summary>
/// Notion's REST API on 127.0.0.1, in its wire format: databases with data sources, pages with typed
/// properties, queries with filters, sorts and cursors, page updates, block children, and Notion's error
/// bodies. It checks the bearer token and the Notion-Version header, answers as the version asked for
/// (<c>archived</c> before 2026-03-11, data sources from 2025-09-03), rounds edit times down to the minute
/// as Notion does, can be told to fail or rate-limit, records every request with its arrival time, and
/// sends signed webhooks. The official JavaScript SDK is run against it in a test, to keep it faithful.
/// Unlike the other fakes it answers requests concurrently, as rates are what it is for.
/// </summary>
public sealed partial class FakeNotion : IAsyncDisposable
{
    public const string Token = "ntn_fake_pipeline_token_5b1c";

    /// <summary>The versions it knows; anything else is a validation error, as with Notion.</summary>
    public static readonly IReadOnlyList<string> Versions = ["2022-06-28", "2025-09-03", "2026-03-11"];

    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<FakeNotionRequest> _requests = new();
    private readonly List<(string? PathPrefix, FakeResponse Response)> _next = [];
    private readonly ConcurrentDictionary<Task, byte> _answering = new();
    private readonly Queue<DateTimeOffset> _recentlyAnswered = new();
    private readonly Stopwatch _monotonic = Stopwatch.StartNew();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly Lock _state = new();
    private readonly Task _serving;

    public FakeNotion()
    {
        BaseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public string BaseUrl { get; }

    /// <summary>What NotionOptions.From reads to point the client here.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["NOTION_TOKEN"] = Token,
        ["NOTION_BASE_URL"] = BaseUrl,
    };

    /// <summary>The time pages are created and edited at (before Notion's rounding to the minute); tests move it on.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>
    /// Notion's own rate limit: when set, a request that would make more than this many answered in the last
    /// second gets 429 rate_limited with Retry-After: 1 (rate-limited requests do not count).
    /// </summary>
    public int? RequestsPerSecondLimit { get; set; }

    /// <summary>How long each answer takes (to test time-outs and concurrency).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>Whether the integration may only read: updates answer 403 restricted_resource.</summary>
    public bool ReadOnly { get; set; }

    public IReadOnlyList<FakeNotionRequest> Requests => [.. _requests];

    public IReadOnlyList<FakeNotionRequest> RequestsTo(string method, string pathPrefix) =>
        [.. _requests.Where(r => r.Request.Method == method && r.Request.Path.StartsWith(pathPrefix, StringComparison.Ordinal))];

    /// <summary>The most requests that arrived within any span of <paramref name="window"/> (all requests, answered or not).</summary>
    public int MostRequestsWithin(TimeSpan window)
    {
        var times = _requests.Select(r => r.ReceivedAt).Order().ToList();
        var most = 0;
        for (int first = 0, last = 0; last < times.Count; last++)
        {
            while (times[last] - times[first] >= window)
            {
                first++;
            }

            most = Math.Max(most, last - first + 1);
        }

        return most;
    }

    /// <summary>Drops every answer queued by <see cref="AnswerNext"/> or <see cref="FailNext"/> not given yet: Notion is well again.</summary>
    public void Recover()
    {
        lock (_next)
        {
            _next.Clear();
        }
    }

    /// <summary>The next request(s) (to <paramref name="pathPrefix"/>, or any) get this answer, whatever it is (a proxy's HTML page, say).</summary>
    public void AnswerNext(FakeResponse response, int times = 1, string? pathPrefix = null)
    {
        lock (_next)
        {
            for (var i = 0; i < times; i++)
            {
                _next.Add((pathPrefix, response));
            }
        }
    }

    /// <summary>The next request(s) (to <paramref name="pathPrefix"/>, or any) fail with Notion's error body.</summary>
    /// <param name="code">Notion's code; by default the usual one for the status.</param>
    /// <param name="retryAfter">A Retry-After header value, e.g. "1".</param>
    public void FailNext(int status, string? code = null, string? message = null, string? retryAfter = null, int times = 1,
        string? pathPrefix = null)
    {
        var response = Error(status, code ?? CodeOf(status), message ?? $"fake {status}");
        AnswerNext(retryAfter is null ? response : response.WithHeader("Retry-After", retryAfter), times, pathPrefix);
    }

    private DateTimeOffset Now => _started + _monotonic.Elapsed;

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            // Timed here, before the answer waits for a thread, so rates are measured as requests arrive.
            var receivedAt = Now;
            var answering = Task.Run(() => AnswerAsync(context, receivedAt));
            _answering.TryAdd(answering, 0);
            _ = answering.ContinueWith(t => _answering.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, DateTimeOffset receivedAt)
    {
        var request = await RecordAsync(context.Request);
        FakeResponse response;
        try
        {
            response = Choose(request, receivedAt);
        }
        catch (Exception e)
        {
            response = Error(500, "internal_server_error", $"the fake failed: {e}");
        }

        _requests.Enqueue(new FakeNotionRequest(receivedAt, request, response.Status));
        if (ResponseDelay > TimeSpan.Zero)
        {
            await Task.Delay(ResponseDelay);
        }

        try
        {
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
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The client hung up (or the fake is closing); nothing to answer.
        }
    }

    private FakeResponse Choose(RecordedRequest request, DateTimeOffset receivedAt)
    {
        if (request.Header("Authorization") != "Bearer " + Token)
        {
            return Error(401, "unauthorized", "API token is invalid.");
        }

        var version = request.Header("Notion-Version");
        if (string.IsNullOrEmpty(version))
        {
            return Error(400, "missing_version", "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.");
        }

        if (!Versions.Contains(version))
        {
            return Error(400, "validation_error", $"Notion-Version header failed validation: `{version}` is not a known version.");
        }

        lock (_next)
        {
            var index = _next.FindIndex(n => n.PathPrefix is null || request.Path.StartsWith(n.PathPrefix, StringComparison.Ordinal));
            if (index >= 0)
            {
                var injected = _next[index].Response;
                _next.RemoveAt(index);
                return injected;
            }
        }

        if (RequestsPerSecondLimit is { } limit)
        {
            lock (_recentlyAnswered)
            {
                while (_recentlyAnswered.Count > 0 && receivedAt - _recentlyAnswered.Peek() >= TimeSpan.FromSeconds(1))
                {
                    _recentlyAnswered.Dequeue();
                }

                if (_recentlyAnswered.Count >= limit)
                {
                    return Error(429, "rate_limited", "You have been rate limited. Please try again in a few minutes.")
                        .WithHeader("Retry-After", "1");
                }

                _recentlyAnswered.Enqueue(receivedAt);
            }
        }

        lock (_state)
        {
            return Route(request, version);
        }
    }

    private static FakeResponse Error(int status, string code, string message) =>
        FakeResponse.Json(
            new JsonObject
            {
                ["object"] = "error",
                ["status"] = status,
                ["code"] = code,
                ["message"] = message,
                ["request_id"] = Guid.NewGuid().ToString(),
            },
            status);

    private static string CodeOf(int status) => status switch
    {
        400 => "validation_error",
        401 => "unauthorized",
        403 => "restricted_resource",
        404 => "object_not_found",
        409 => "conflict_error",
        429 => "rate_limited",
        502 => "bad_gateway",
        503 => "service_unavailable",
        504 => "gateway_timeout",
        _ => "internal_server_error",
    };

    private static async Task<RecordedRequest> RecordAsync(HttpListenerRequest request)
    {
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        var query = request.QueryString.AllKeys.OfType<string>().ToDictionary(k => k, k => request.QueryString[k] ?? "");
        var headers = request.Headers.AllKeys.OfType<string>()
            .ToDictionary(k => k, k => request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
        return new RecordedRequest(request.HttpMethod, request.Url?.AbsolutePath ?? "/", query, headers, body.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone, as FakeHttpServer does: Stop then Close can fail to unregister a reused port.
        _listener.Close();
        await _serving;
        await Task.WhenAll(_answering.Keys);
        _webhookClient.Dispose();
    }
}
