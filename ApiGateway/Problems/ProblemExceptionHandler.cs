using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace Pipeline.ApiGateway.Problems;

/// <summary>
/// Turns every exception that reaches the pipeline into a problem: a body the endpoint could not read
/// is the client's error (400 VALIDATION_FAILED naming the field), an unreachable cluster or database is
/// 503, anything else is 500 INTERNAL_ERROR with no internals in the answer (the log has them,
/// under the same request id).
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return true;
        }

        ProblemDetails problem;
        if (exception is BadHttpRequestException bad)
        {
            problem = FromBadRequest(bad);
            logger.LogInformation("Bad request {RequestId}: {Reason}", httpContext.TraceIdentifier, bad.Message);
        }
        else if (IsTransient(exception))
        {
            problem = ApiProblems.Create(
                ApiProblems.Unavailable,
                "The Orleans cluster or the database did not answer; try again shortly.");
            logger.LogWarning(exception, "Request {RequestId} failed on an unavailable dependency", httpContext.TraceIdentifier);
        }
        else
        {
            problem = ApiProblems.Create(
                ApiProblems.InternalError,
                "Something went wrong in the gateway; the request_id finds the details in its log.");
            logger.LogError(exception, "Request {RequestId} failed", httpContext.TraceIdentifier);
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
        });
    }

    /// <summary>
    /// The problem for a request the framework could not bind (minimal APIs throw these because
    /// RouteHandlerOptions.ThrowOnBadRequest is on). Unreadable JSON names the field it broke at.
    /// </summary>
    public static ProblemDetails FromBadRequest(BadHttpRequestException exception)
    {
        if (exception.StatusCode != StatusCodes.Status400BadRequest)
        {
            // 413, 415 and the like: the status says it all, and the message is the framework's own words.
            var code = ApiProblems.CodeOf(exception.StatusCode);
            var problem = ApiProblems.Create(code, exception.StatusCode == StatusCodes.Status415UnsupportedMediaType
                ? "Send the body as JSON with Content-Type: application/json."
                : exception.Message);
            problem.Status = exception.StatusCode;
            return problem;
        }

        if (exception.InnerException is JsonException json)
        {
            var (field, message) = DescribeJsonError(json);
            return ApiProblems.CreateValidation(
                new Dictionary<string, string[]> { [field] = [message] },
                "The request body could not be read as JSON of the expected shape.");
        }

        return ApiProblems.CreateValidation(
            new Dictionary<string, string[]> { ["request"] = ["The request could not be read."] },
            "The request could not be read.");
    }

    /// <summary>Which field a JSON error is at (snake_case, as the client wrote it) and what is wrong there.</summary>
    public static (string Field, string Message) DescribeJsonError(JsonException json)
    {
        var field = json.Path is null or "$" ? "body" : json.Path.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path;
        var where = json.LineNumber is { } line && json.BytePositionInLine is { } position
            ? $" (line {line + 1}, position {position + 1})"
            : "";

        // The reader's own message says what is wrong with the syntax; a conversion error's message would
        // only name .NET types, so it is replaced by plain words.
        if (json.InnerException is JsonException reader)
        {
            var reason = reader.Message;
            var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut >= 0)
            {
                reason = reason[..cut];
            }

            return (field, $"Not valid JSON{where}: {reason.Trim()}");
        }

        return (field, field == "body"
            ? $"The body must be a JSON object{where}."
            : $"The value has the wrong type or is out of range{where}.");
    }

    /// <summary>Whether the failure is the cluster or the database being out of reach, which passes.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException
            or GatewayTooBusyException or TimeoutException => true,
        // Anything PostgreSQL said no to, here or inside a grain (whose storage wraps it): the change
        // was not stored, and the same request can be sent again.
        NpgsqlException => true,
        { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };
}
