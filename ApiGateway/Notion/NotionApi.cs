using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.ApiGateway.Problems;
using Pipeline.ApiGateway.Tasks;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Notion;

namespace Pipeline.ApiGateway.Notion;

/// <summary>
/// Notion's webhook (<c>POST /webhook/notion</c>: signed events in, answered at once; repeats are dropped and the
/// work happens in the page grains, see <see cref="NotionEventInbox"/>) and the operator's side of it: the subscription's verification token, its confirmation, and a sweep on demand.
/// </summary>
public static partial class NotionApi
{
    /// <summary>The largest event body accepted; Notion's are a few kilobytes.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapNotionApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhook/notion", ReceiveAsync)
            .WithTags("Notion")
            .WithName("NotionWebhook")
            .WithSummary("Notion's webhook: the handshake (its verification_token is recorded for the operator) and signed events (X-Notion-Signature)")
            .AllowAnonymous()
            .Accepts<object>("application/json")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

        var admin = app.MapGroup("/notion")
            .WithTags("Notion")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        admin.MapGet("/webhook", GetWebhookAsync)
            .WithName("GetNotionWebhook")
            .WithSummary("The webhook subscription: whether a signing key is in force, and a verification token waiting to be confirmed");

        admin.MapPost("/webhook/confirm", ConfirmAsync)
            .WithName("ConfirmNotionWebhook")
            .WithSummary("Confirm the verification token Notion sent: from now on it is the key events must be signed with")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        admin.MapPost("/sweep", SweepAsync)
            .WithName("SweepNotion")
            .WithSummary("Read every channel's Notion database now and reconcile each page with its task");

        return app;
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, NotionSigningKey signingKey, NotionEventInbox inbox, IGrainFactory grains, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return ApiProblems.Result(ApiProblems.PayloadTooLarge, $"A Notion event is at most {MaxBodyBytes / 1024} KB; this one says {request.ContentLength} bytes.");
        }

        var body = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return ApiProblems.Result(ApiProblems.PayloadTooLarge, $"A Notion event is at most {MaxBodyBytes / 1024} KB.");
        }

        var read = NotionWebhookBody.Read(body);
        if (read.IsHandshake)
        {
            // Unsigned by nature: Notion has not told us the key yet. Recorded for the operator; it signs nothing until confirmed.
            await grains.GetGrain<INotionWebhookGrain>(INotionWebhookGrain.Key).RecordHandshake(read.VerificationToken!);
            return TypedResults.Accepted((string?)null);
        }

        var key = await signingKey.GetAsync();
        if (!NotionWebhookSignature.IsValid(body, request.Headers[NotionWebhookSignature.HeaderName].ToString(), key))
        {
            LogRejected(loggers.CreateLogger(typeof(NotionApi)), key is null ? "no verification token is confirmed yet" : "the signature is missing or does not match");
            return ApiProblems.Result(ApiProblems.InvalidSignature, key is null
                ? "No verification token is confirmed yet: see GET /notion/webhook."
                : $"{NotionWebhookSignature.HeaderName} is missing or is not the HMAC-SHA256 of the body with the confirmed verification token.");
        }

        if (read.Event is not { } notionEvent)
        {
            return ApiProblems.Validation("body", read.Error ?? "not a Notion event");
        }

        if (notionEvent.IsAboutPage)
        {
            await inbox.AcceptAsync(notionEvent, cancellationToken);
        }

        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Ok<NotionWebhookResponse>> GetWebhookAsync(IGrainFactory grains, NotionSigningKey signingKey) =>
        TypedResults.Ok(await DescribeAsync(grains, signingKey));

    public static async Task<Results<Ok<NotionWebhookResponse>, ProblemHttpResult>> ConfirmAsync(
        ConfirmNotionWebhookRequest? body, IGrainFactory grains, NotionSigningKey signingKey)
    {
        if (body?.VerificationToken is not { Length: > 0 } token)
        {
            return ApiProblems.Validation("verification_token", "required: the token shown by GET /notion/webhook (and in Notion's subscription page)");
        }

        var subscription = grains.GetGrain<INotionWebhookGrain>(INotionWebhookGrain.Key);
        if (!await subscription.Confirm(token.Trim()))
        {
            return ApiProblems.Result(ApiProblems.TokenMismatch, "It is not the verification token received in Notion's handshake (or none was received).");
        }

        signingKey.Forget();
        return TypedResults.Ok(await DescribeAsync(grains, signingKey));
    }

    public static async Task<Ok<NotionSweepList>> SweepAsync(IGrainFactory grains)
    {
        var channels = (await grains.GetGrain<IChannelDirectoryGrain>(IChannelDirectoryGrain.Key).GetState()).Channels
            .Where(c => c is { Enabled: true, Notion: not null })
            .ToList();
        var results = await Task.WhenAll(channels.Select(c => grains.GetGrain<INotionSweepGrain>(c.Id).SweepNow()));
        return TypedResults.Ok(new NotionSweepList([.. results.Select(r => new NotionSweepResponse(
            r.ChannelId, r.Pages, r.Outcomes.ToDictionary(o => o.Key.ToString().ToLowerInvariant(), o => o.Value), r.Error))]));
    }

    private static async Task<NotionWebhookResponse> DescribeAsync(IGrainFactory grains, NotionSigningKey signingKey)
    {
        var status = await grains.GetGrain<INotionWebhookGrain>(INotionWebhookGrain.Key).GetStatus();
        return new NotionWebhookResponse(
            signingKey.FromConfiguration ? "configuration" : status.SigningKey is not null ? "confirmed" : "none",
            UtcTimes.Normalize(status.ConfirmedAt),
            status.PendingToken,
            UtcTimes.Normalize(status.PendingSince));
    }

    /// <summary>The body, at most <see cref="MaxBodyBytes"/>; null when longer (a chunked body says its size only at the end).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(request.ContentLength is { } length and <= MaxBodyBytes ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notion webhook refused: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}

/// <summary><c>POST /notion/webhook/confirm</c>.</summary>
/// <param name="VerificationToken">The token Notion sent in its handshake.</param>
public sealed record ConfirmNotionWebhookRequest(string? VerificationToken);

/// <summary>The webhook subscription as the operator sees it.</summary>
/// <param name="SigningKey">Where the key events must be signed with comes from: configuration, confirmed, or none (nothing accepted).</param>
/// <param name="ConfirmedAt">When the token was confirmed.</param>
/// <param name="PendingVerificationToken">A token Notion sent that is not confirmed yet: paste it in Notion and confirm it here.</param>
/// <param name="PendingSince">When it came.</param>
public sealed record NotionWebhookResponse(string SigningKey, DateTime? ConfirmedAt, string? PendingVerificationToken, DateTime? PendingSince);

/// <summary><c>POST /notion/sweep</c>: one result per channel with a Notion database.</summary>
public sealed record NotionSweepList(IReadOnlyList<NotionSweepResponse> Items);

/// <summary>One channel's sweep.</summary>
public sealed record NotionSweepResponse(string ChannelId, int Pages, IReadOnlyDictionary<string, int> Outcomes, string? Error);
