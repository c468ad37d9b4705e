using System.Buffers;
using Pipeline.Grains.Abstractions.Notion;

// The floor of the webhook benchmark: Notion's webhook reduced to what no receiver can skip — read the body, check
// X-Notion-Signature with the product's own check, answer 202. Kestrel as the gateway has it (defaults, one loopback
// URL, the GC the runner sets); no logging at all, so what is left is HTTP plus one HMAC.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(builder.Configuration["WEBHOOK_FLOOR_URL"] is { Length: > 0 } url ? url : "http://127.0.0.1:5090");
var key = builder.Configuration["NOTION_WEBHOOK_SECRET"] is { Length: > 0 } secret
    ? secret
    : throw new InvalidOperationException("NOTION_WEBHOOK_SECRET is required: it is the key the floor checks signatures with.");

var app = builder.Build();
app.MapPost("/webhook/notion", async (HttpRequest request, CancellationToken cancellationToken) =>
{
    // The gateway's limit, so an oversized body costs the floor no more than it costs the gateway.
    const int maxBodyBytes = 256 * 1024;
    if (request.ContentLength is not { } length)
    {
        // Notion sends a Content-Length, and so does the load generator.
        return Results.StatusCode(StatusCodes.Status411LengthRequired);
    }

    if (length > maxBodyBytes)
    {
        return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
    }

    var buffer = ArrayPool<byte>.Shared.Rent((int)length);
    try
    {
        var read = 0;
        while (read < length)
        {
            var n = await request.Body.ReadAsync(buffer.AsMemory(read, (int)length - read), cancellationToken);
            if (n == 0)
            {
                return Results.BadRequest();
            }

            read += n;
        }

        return NotionWebhookSignature.IsValid(buffer.AsSpan(0, read), request.Headers[NotionWebhookSignature.HeaderName].ToString(), key)
            ? Results.StatusCode(StatusCodes.Status202Accepted)
            : Results.Unauthorized();
    }
    finally
    {
        ArrayPool<byte>.Shared.Return(buffer);
    }
});
app.Run();
