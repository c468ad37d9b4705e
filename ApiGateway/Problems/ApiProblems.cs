using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Pipeline.ApiGateway.Tasks;
using Pipeline.Grains.Abstractions.Tasks;

namespace Pipeline.ApiGateway.Problems;

/// <summary>
/// The one place that decides what an error looks like: every stable <c>code</c> the API returns, the
/// HTTP status and title of each, and the problem details (RFC 9457) that carry them.
/// </summary>
public static class ApiProblems
{
    public const string Unauthorized = "UNAUTHORIZED";
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string ChannelsInvalid = "CHANNELS_INVALID";
    public const string Unavailable = "UNAVAILABLE";
    public const string InternalError = "INTERNAL_ERROR";
    public const string InvalidSignature = "INVALID_SIGNATURE";
    public const string TokenMismatch = "TOKEN_MISMATCH";

    /// <summary>The HTTP status of a code, including the task grains' refusal codes.</summary>
    public static int StatusOf(string code) => code switch
    {
        TaskErrorCodes.ValidationFailed => StatusCodes.Status400BadRequest,
        Unauthorized or InvalidSignature => StatusCodes.Status401Unauthorized,
        TaskErrorCodes.TaskNotFound or TaskErrorCodes.ChannelNotFound or NotFound => StatusCodes.Status404NotFound,
        MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        TaskErrorCodes.TaskExists or TaskErrorCodes.InvalidTransition => StatusCodes.Status409Conflict,
        PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ChannelsInvalid => StatusCodes.Status422UnprocessableEntity,
        Unavailable => StatusCodes.Status503ServiceUnavailable,
        InternalError => StatusCodes.Status500InternalServerError,

        // A refusal code added to the grains before it is added here is still a refusal of the
        // request in the task's present state, not a server fault.
        _ => StatusCodes.Status409Conflict,
    };

    /// <summary>The code for an error that only has a status (unknown route, wrong method, framework errors).</summary>
    public static string CodeOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => TaskErrorCodes.ValidationFailed,
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status503ServiceUnavailable => Unavailable,
        >= 500 => InternalError,
        _ => $"HTTP_{status}",
    };

    public static string TitleOf(string code) => code switch
    {
        TaskErrorCodes.ValidationFailed => "The request is not valid",
        TaskErrorCodes.TaskNotFound => "No such task",
        TaskErrorCodes.ChannelNotFound => "No such channel",
        TaskErrorCodes.TaskExists => "The task exists already",
        TaskErrorCodes.InvalidTransition => "The workflow does not allow this now",
        Unauthorized => "Not authenticated",
        InvalidSignature => "The webhook signature is missing or wrong",
        TokenMismatch => "That is not the verification token Notion sent",
        NotFound => "Not found",
        MethodNotAllowed => "Method not allowed",
        PayloadTooLarge => "Request body too large",
        UnsupportedMediaType => "Unsupported media type",
        ChannelsInvalid => "channels.yaml is not valid",
        Unavailable => "Temporarily unavailable",
        InternalError => "Internal error",
        _ => "The request was refused",
    };

    /// <summary>A problem for <paramref name="code"/>, with its status and title.</summary>
    public static ProblemDetails Create(string code, string? detail, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = StatusOf(code),
            Title = TitleOf(code),
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }

    /// <summary>A VALIDATION_FAILED problem whose <c>errors</c> map names each bad field (snake_case, as sent).</summary>
    public static HttpValidationProblemDetails CreateValidation(IDictionary<string, string[]> errors, string? detail = null)
    {
        var problem = new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = TitleOf(TaskErrorCodes.ValidationFailed),
            Detail = detail ?? Describe(errors),
        };
        problem.Extensions["code"] = TaskErrorCodes.ValidationFailed;
        return problem;
    }

    public static ProblemHttpResult Result(string code, string? detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(Create(code, detail, extensions));

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.Problem(CreateValidation(errors, detail));

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>
    /// What a task grain's refusal becomes. The task's current status comes along when there is a task,
    /// so a client told INVALID_TRANSITION sees where the task actually is.
    /// </summary>
    public static ProblemHttpResult ForRefusal(TaskCommandResult refusal)
    {
        var code = refusal.ErrorCode ?? InternalError;
        if (code == TaskErrorCodes.ValidationFailed)
        {
            return Validation("body", refusal.Error ?? "The task grain refused the request's content.");
        }

        var extensions = new Dictionary<string, object?>();
        if (refusal.Task is { TaskId.Length: > 0 } task)
        {
            extensions["task_id"] = task.TaskId;
            extensions["task_status"] = StatusNames.Code(task.Status);
        }

        return Result(code, refusal.Error, extensions);
    }

    /// <summary>
    /// Fills in what every problem must carry, whoever made it (our endpoints, the status code pages for an
    /// unknown route, the exception handler): the request id, and a code derived from the status when the
    /// producer gave none.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions["request_id"] = context.HttpContext.TraceIdentifier;
        if (!problem.Extensions.ContainsKey("code"))
        {
            problem.Extensions["code"] = CodeOf(problem.Status ?? context.HttpContext.Response.StatusCode);
        }
    }

    private static string Describe(IDictionary<string, string[]> errors) =>
        errors.Count == 0
            ? "The request is not valid."
            : $"Check {string.Join(", ", errors.Keys)}: errors says what is wrong with each.";
}
