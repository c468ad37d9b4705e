using System.Collections.Concurrent;
using System.Net;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Fakes;

/// <summary>
/// An HTTP server on 127.0.0.1 standing in for a provider: routes by method and path prefix, checks the
/// API key header, records every request, and can be told to answer the next request(s) with an error.
/// Requests are served concurrently, as a real provider does, each after <see cref="Latency"/> (and while
/// answers are held, not before <see cref="ReleaseAnswers"/>); the most requests in flight at once is kept.
/// </summary>
public class FakeHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(string Method, string PathPrefix, Func<RecordedRequest, FakeResponse> Handle, bool Open)> _routes = [];
    private readonly List<(string? PathPrefix, FakeResponse Response)> _next = [];
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly string _keyHeader;
    private readonly string _key;
    private readonly Func<int, string, FakeResponse> _error;
    private readonly Task _serving;
    private TaskCompletionSource _answers = Released();
    private int _inFlight;
    private int _maxInFlight;

    /// <param name="keyHeader">The header that must carry <paramref name="key"/>; other requests get 401.</param>
    /// <param name="error">The provider's error body for a status and a message.</param>
    protected FakeHttpServer(string keyHeader, string key, Func<int, string, FakeResponse> error)
    {
        _keyHeader = keyHeader;
        _key = key;
        _error = error;
        BaseUrl = $"http://127.0.0.1:{FreePort.Next()}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public string BaseUrl { get; }

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>How long each answer takes.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Requests being answered now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests in flight at once so far.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Requests from now on wait for <see cref="ReleaseAnswers"/> before they are answered.</summary>
    public void HoldAnswers()
    {
        lock (_next)
        {
            if (_answers.Task.IsCompleted)
            {
                _answers = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Answers the held requests, and the next ones at once.</summary>
    public void ReleaseAnswers()
    {
        lock (_next)
        {
            _answers.TrySetResult();
        }
    }

    public IReadOnlyList<RecordedRequest> RequestsTo(string pathPrefix) =>
        [.. _requests.Where(r => r.Path.StartsWith(pathPrefix, StringComparison.Ordinal))];

    /// <summary>The next <paramref name="times"/> requests (to <paramref name="pathPrefix"/>, or any) get this answer.</summary>
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

    /// <summary>The next request(s) fail with <paramref name="status"/> in the provider's error format.</summary>
    public void FailNext(int status, string message = "fake failure", string? retryAfter = null, int times = 1,
        string? pathPrefix = null)
    {
        var response = _error(status, message);
        AnswerNext(retryAfter is null ? response : response.WithHeader("Retry-After", retryAfter), times, pathPrefix);
    }

    /// <param name="open">True for what needs no key, such as a CDN download.</param>
    protected void Map(string method, string pathPrefix, Func<RecordedRequest, FakeResponse> handle, bool open = false) =>
        _routes.Add((method, pathPrefix, handle, open));

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

            _ = AnswerAsync(context);
        }
    }

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            await AnswerInTurnAsync(context, inFlight);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task AnswerInTurnAsync(HttpListenerContext context, int inFlight)
    {
        int max;
        while (inFlight > (max = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) != max)
        {
        }

        RecordedRequest request;
        try
        {
            request = await RecordAsync(context.Request);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            return;
        }

        _requests.Enqueue(request);
        Task held;
        lock (_next)
        {
            held = _answers.Task;
        }

        await held;
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency);
        }

        FakeResponse response;
        try
        {
            response = Choose(request);
        }
        catch (Exception e)
        {
            response = FakeResponse.Text(500, $"the fake failed: {e}");
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
            request.AnsweredStatus = response.Status;
            request.AnsweredAt = DateTime.UtcNow;
            await context.Response.OutputStream.WriteAsync(response.Body);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client hung up, or the fake is being disposed; nothing to answer.
        }
    }

    private FakeResponse Choose(RecordedRequest request)
    {
        var route = _routes.FirstOrDefault(r =>
            r.Method == request.Method && request.Path.StartsWith(r.PathPrefix, StringComparison.Ordinal));
        if (!route.Open && request.Header(_keyHeader) != _key)
        {
            return _error(401, "invalid api key");
        }

        lock (_next)
        {
            var index = _next.FindIndex(n => n.PathPrefix is null || request.Path.StartsWith(n.PathPrefix, StringComparison.Ordinal));
            if (index >= 0)
            {
                var response = _next[index].Response;
                _next.RemoveAt(index);
                return response;
            }
        }

        return route.Handle is null ? _error(404, $"no route for {request.Method} {request.Path}") : route.Handle(request);
    }

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
        // Close alone: after Stop, the managed HttpListener's Close binds the port again to unregister it,
        // which fails when the OS has meanwhile given that port to some client socket.
        ReleaseAnswers();
        _listener.Close();
        await _serving;
        GC.SuppressFinalize(this);
    }
}
