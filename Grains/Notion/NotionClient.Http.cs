using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Pipeline.Grains.Notion;

/// <summary>The transport: gate, headers, error mapping and retries.</summary>
public sealed partial class NotionClient
{
    private const int MaxMessageLength = 500;

    // What a 429 without Retry-After makes the gate wait: Notion's limit is per second.
    private static readonly TimeSpan DefaultRateLimitWait = TimeSpan.FromSeconds(1);

    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly INotionRequestGate _gate;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly Uri _baseUrl;

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        var token = _options.Token is { Length: > 0 } t
            ? t
            : throw new InvalidOperationException("NOTION_TOKEN is not set: Pipeline is not connected to Notion.");
        var request = $"{method.Method} /{path.Split('?')[0]}";
        var content = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body);
        for (var attempt = 0; ; attempt++)
        {
            NotionException failure;
            await using (await _gate.EnterAsync(cancellationToken))
            {
                try
                {
                    return await SendOnceAsync(method, path, content, token, request, cancellationToken);
                }
                catch (NotionException e)
                {
                    failure = e;
                }

                if (failure.Status == HttpStatusCode.TooManyRequests)
                {
                    // Before the turn is given back, so no other request goes out in the meantime.
                    await _gate.ReportRetryAfterAsync(failure.RetryAfter ?? DefaultRateLimitWait, cancellationToken);
                }
            }

            var wait = failure.RetryAfter ?? _options.FirstBackoff * Math.Pow(2, attempt);
            if (!failure.IsTransient || attempt >= _options.MaxRetries || wait > _options.MaxRetryDelay)
            {
                LogFailed(request, (int?)failure.Status, failure.Code, failure.NotionMessage);
                throw failure;
            }

            LogRetrying(request, (int?)failure.Status, failure.Code, wait.TotalSeconds, attempt + 1);
            await Task.Delay(wait, _clock, cancellationToken);
        }
    }

    private async Task<JsonDocument> SendOnceAsync(
        HttpMethod method, string path, byte[]? content, string token, string request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, new Uri(_baseUrl, path));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        message.Headers.TryAddWithoutValidation("Notion-Version", _options.Version);
        message.Headers.Accept.Add(Json);
        if (content is not null)
        {
            message.Content = new ByteArrayContent(content);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new NotionException(null, NotionException.NetworkErrorCode, e.Message, isTransient: true, retryAfter: null, request, inner: e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NotionException(null, NotionException.NetworkErrorCode, $"no answer within {_http.Timeout.TotalSeconds:0.#} s",
                isTransient: true, retryAfter: null, request, inner: e);
        }

        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(response, bytes, request);
            }

            try
            {
                return JsonDocument.Parse(bytes);
            }
            catch (JsonException e)
            {
                // A success status with a body that is not JSON comes from something in between, not from Notion.
                throw new NotionException(response.StatusCode, NotionException.InvalidResponseCode,
                    $"the answer is not JSON: {Shorten(Encoding.UTF8.GetString(bytes))}", isTransient: true, retryAfter: null, request, inner: e);
            }
        }
    }

    private NotionException Failure(HttpResponseMessage response, byte[] body, string request)
    {
        var status = response.StatusCode;
        string? code = null, message = null, requestId = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                code = Text(root, "code");
                message = Text(root, "message");
                requestId = Text(root, "request_id");
            }
        }
        catch (JsonException)
        {
            // A proxy's HTML page, say: described by its status below.
        }

        return new NotionException(
            status,
            code ?? CodeOf(status),
            Shorten(message ?? (body.Length > 0 ? Encoding.UTF8.GetString(body) : response.ReasonPhrase ?? "")),
            NotionException.IsTransientStatus(status),
            RetryAfter(response),
            request,
            requestId);
    }

    private static T Read<T>(JsonDocument answer, string path, Func<JsonElement, T> read)
    {
        try
        {
            return read(answer.RootElement);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new NotionException(null, NotionException.InvalidResponseCode, $"unexpected answer: {e.Message}",
                isTransient: false, retryAfter: null, "/" + path.Split('?')[0], inner: e);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - _clock.GetUtcNow() : null);
        if (wait is null && response.Headers.TryGetValues("Retry-After", out var values)
            && double.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds))
        {
            // Fractional seconds are not valid HTTP, but cost nothing to honour.
            wait = TimeSpan.FromSeconds(seconds);
        }

        return wait is { } w ? (w < TimeSpan.Zero ? TimeSpan.Zero : w) : null;
    }

    private static string CodeOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => "invalid_request",
        HttpStatusCode.Unauthorized => "unauthorized",
        HttpStatusCode.Forbidden => "restricted_resource",
        HttpStatusCode.NotFound => "object_not_found",
        HttpStatusCode.Conflict => "conflict_error",
        HttpStatusCode.TooManyRequests => "rate_limited",
        HttpStatusCode.InternalServerError => "internal_server_error",
        HttpStatusCode.BadGateway => "bad_gateway",
        HttpStatusCode.ServiceUnavailable => "service_unavailable",
        HttpStatusCode.GatewayTimeout => "gateway_timeout",
        _ => $"http_{(int)status}",
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= MaxMessageLength ? trimmed : trimmed[..MaxMessageLength] + "…";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notion {Request} answered {Status} {Code}; trying again in {WaitSeconds} s (retry {Retry})")]
    private partial void LogRetrying(string request, int? status, string code, double waitSeconds, int retry);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notion {Request} failed: {Status} {Code}: {NotionMessage}")]
    private partial void LogFailed(string request, int? status, string code, string notionMessage);
}
