using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.ApiGateway.Problems;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.YouTube;

namespace Pipeline.ApiGateway.YouTube;

/// <summary>
/// A channel's YouTube consent: an admin asks for the consent URL, the channel's owner opens it, and Google sends
/// the browser back to the callback with a code and our signed state. The callback has no bearer token (a browser
/// cannot send one); the state, which only the silos can sign, is what proves it. The silos hold the OAuth secret
/// and the encryption key; the gateway passes the code and state on and keeps nothing.
/// </summary>
public static class YouTubeApi
{
    /// <summary>The callback's URL as registered with the OAuth client, when the gateway is reached under another name than its own.</summary>
    public const string RedirectUriSetting = "YOUTUBE_REDIRECT_URI";

    public const string CallbackPath = "/oauth/youtube/callback";

    public const string ConsentRefused = "CONSENT_REFUSED";

    public static IEndpointRouteBuilder MapYouTubeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/channels/{id}/youtube/consent", GetConsentUrl)
            .WithTags("YouTube")
            .WithName("GetYouTubeConsentUrl")
            .WithSummary("The URL the channel's owner opens to let the pipeline upload to the YouTube channel (valid 30 minutes)")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        app.MapGet(CallbackPath, CompleteConsent)
            .WithTags("YouTube")
            .WithName("YouTubeConsentCallback")
            .WithSummary("Where Google sends the browser after a consent: stores the channel's refresh token, encrypted, and lifts any hold")
            .AllowAnonymous()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return app;
    }

    public static async Task<Results<Ok<YouTubeConsentUrl>, ProblemHttpResult>> GetConsentUrl(
        string id, HttpRequest request, IGrainFactory grains, IConfiguration configuration)
    {
        // The directory decides what exists, so an unknown id never gets a signed state.
        var document = await grains.GetGrain<IChannelDirectoryGrain>(IChannelDirectoryGrain.Key).GetState();
        if (document.Channels.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.Ordinal) && c.Enabled) is not { } channel)
        {
            return ApiProblems.Result(TaskErrorCodes.ChannelNotFound, $"channels.yaml has no channel '{(id.Length <= 100 ? id : id[..100] + "…")}'.");
        }

        var redirect = RedirectUri(request, configuration);
        var result = await Consent(grains).ConsentUrl(channel.Id, redirect);
        return result.ErrorCode is { } code
            ? Problem(code, result.Error)
            : TypedResults.Ok(new YouTubeConsentUrl(channel.Id, result.Url!, redirect));
    }

    public static async Task<Results<Ok<YouTubeConnected>, ProblemHttpResult>> CompleteConsent(
        string? code, string? state, string? error, HttpRequest request, IGrainFactory grains, IConfiguration configuration)
    {
        if (!string.IsNullOrEmpty(error))
        {
            return Problem(ConsentRefused, $"Google did not give consent ({Shorten(error)}); nothing changed. Ask for a new consent URL to try again.");
        }

        if (string.IsNullOrEmpty(code) || string.IsNullOrEmpty(state))
        {
            return ApiProblems.Validation(
                string.IsNullOrEmpty(code) ? "code" : "state",
                "The consent callback needs Google's code and state: open the consent URL rather than this address.");
        }

        var result = await Consent(grains).Complete(state, code, RedirectUri(request, configuration));
        return result.ErrorCode is { } failed
            ? Problem(failed, result.Error)
            : TypedResults.Ok(new YouTubeConnected(result.ChannelId!, YouTubeStatus.Connected));
    }

    /// <summary>Our callback's URL: the setting when given, else this gateway as the request reached it.</summary>
    private static string RedirectUri(HttpRequest request, IConfiguration configuration) =>
        configuration[RedirectUriSetting] is { Length: > 0 } configured
            ? configured
            : $"{request.Scheme}://{request.Host}{request.PathBase}{CallbackPath}";

    private static ProblemHttpResult Problem(string code, string? detail)
    {
        var problem = ApiProblems.Create(code, detail);
        (problem.Status, problem.Title) = code switch
        {
            YouTubeConsentResult.NotConfigured => (StatusCodes.Status503ServiceUnavailable, "YouTube is not configured"),
            YouTubeConsentResult.ConsentInvalid => (StatusCodes.Status400BadRequest, "The consent callback is not valid"),
            ConsentRefused => (StatusCodes.Status400BadRequest, "The consent was refused"),
            _ => (problem.Status, problem.Title),
        };
        return TypedResults.Problem(problem);
    }

    private static IYouTubeConsentGrain Consent(IGrainFactory grains) => grains.GetGrain<IYouTubeConsentGrain>(0);

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";
}

/// <summary><c>GET /channels/{id}/youtube/consent</c>.</summary>
/// <param name="ChannelId">The channel.</param>
/// <param name="ConsentUrl">Open it signed in as the YouTube channel's owner.</param>
/// <param name="RedirectUri">Where Google sends the browser back: it must be registered with the OAuth client exactly so.</param>
public sealed record YouTubeConsentUrl(string ChannelId, string ConsentUrl, string RedirectUri);

/// <summary>The consent callback's answer.</summary>
/// <param name="ChannelId">The channel now connected.</param>
/// <param name="Youtube">Its YouTube status: connected.</param>
public sealed record YouTubeConnected(string ChannelId, string Youtube);
