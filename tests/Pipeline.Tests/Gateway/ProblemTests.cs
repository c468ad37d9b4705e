using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Pipeline.ApiGateway.Problems;
using Pipeline.ApiGateway.Tasks;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Tests.Gateway;

public class ProblemTests
{
    [Theory]
    [InlineData(TaskErrorCodes.TaskNotFound, 404)]
    [InlineData(TaskErrorCodes.ChannelNotFound, 404)]
    [InlineData(TaskErrorCodes.TaskExists, 409)]
    [InlineData(TaskErrorCodes.InvalidTransition, 409)]
    [InlineData(TaskErrorCodes.ValidationFailed, 400)]
    [InlineData(ApiProblems.Unauthorized, 401)]
    [InlineData(ApiProblems.ChannelsInvalid, 422)]
    [InlineData(ApiProblems.InternalError, 500)]
    [InlineData(ApiProblems.Unavailable, 503)]
    public void Each_code_has_its_status(string code, int status)
    {
        Assert.Equal(status, ApiProblems.StatusOf(code));
        Assert.Equal(status, ApiProblems.Create(code, "why").Status);
        Assert.Equal(code, ApiProblems.Create(code, "why").Extensions["code"]);
    }

    [Fact]
    public void A_refusal_carries_the_tasks_current_status()
    {
        var task = new TaskState { TaskId = "t1", Status = WorkflowStatus.Queued };

        var result = ApiProblems.ForRefusal(TaskCommandResult.Refused(task, TaskErrorCodes.InvalidTransition, "queued cannot be approved"));

        Assert.Equal(409, result.StatusCode);
        Assert.Equal("queued cannot be approved", result.ProblemDetails.Detail);
        Assert.Equal(TaskErrorCodes.InvalidTransition, result.ProblemDetails.Extensions["code"]);
        Assert.Equal("queued", result.ProblemDetails.Extensions["task_status"]);
        Assert.Equal("t1", result.ProblemDetails.Extensions["task_id"]);
    }

    [Fact]
    public void A_grain_validation_refusal_becomes_a_validation_problem_with_errors()
    {
        var result = ApiProblems.ForRefusal(TaskCommandResult.Refused(null, TaskErrorCodes.ValidationFailed, "the plan has no scenes"));

        Assert.Equal(400, result.StatusCode);
        var problem = Assert.IsType<HttpValidationProblemDetails>(result.ProblemDetails);
        Assert.Equal(["the plan has no scenes"], problem.Errors["body"]);
        Assert.False(result.ProblemDetails.Extensions.ContainsKey("task_status"));
    }

    [Theory]
    [InlineData(404, "NOT_FOUND")]
    [InlineData(405, "METHOD_NOT_ALLOWED")]
    [InlineData(415, "UNSUPPORTED_MEDIA_TYPE")]
    [InlineData(500, "INTERNAL_ERROR")]
    [InlineData(502, "INTERNAL_ERROR")]
    [InlineData(418, "HTTP_418")]
    public void A_problem_with_only_a_status_gets_a_code_and_the_request_id(int status, string code)
    {
        var http = new DefaultHttpContext { TraceIdentifier = "req-1" };
        var context = new ProblemDetailsContext { HttpContext = http, ProblemDetails = new ProblemDetails { Status = status } };

        ApiProblems.Customize(context);

        Assert.Equal(code, context.ProblemDetails.Extensions["code"]);
        Assert.Equal("req-1", context.ProblemDetails.Extensions["request_id"]);
    }

    [Fact]
    public void A_problem_keeps_the_code_its_producer_gave()
    {
        var context = new ProblemDetailsContext
        {
            HttpContext = new DefaultHttpContext(),
            ProblemDetails = ApiProblems.Create(TaskErrorCodes.TaskNotFound, "no"),
        };

        ApiProblems.Customize(context);

        Assert.Equal(TaskErrorCodes.TaskNotFound, context.ProblemDetails.Extensions["code"]);
    }

    [Fact]
    public void Malformed_json_is_a_validation_problem_about_the_body()
    {
        var problem = FromBody<CreateTaskRequest>("""{"title": "x",""");

        Assert.Equal(400, problem.Status);
        Assert.Equal(TaskErrorCodes.ValidationFailed, problem.Extensions["code"]);
        var message = Assert.Single(Assert.IsType<HttpValidationProblemDetails>(problem).Errors["body"]);
        Assert.StartsWith("Not valid JSON (line 1, position", message);
        Assert.DoesNotContain("LineNumber", message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_reported_under_its_field_without_dotnet_type_names()
    {
        var problem = FromBody<CreateTaskRequest>("""{"title": "x", "priority": "high"}""");

        var message = Assert.Single(Assert.IsType<HttpValidationProblemDetails>(problem).Errors["priority"]);
        Assert.Contains("wrong type", message);
        Assert.DoesNotContain("System.", message);
    }

    [Fact]
    public void A_bad_element_of_a_list_is_reported_with_its_index()
    {
        var problem = FromBody<BulkRequest>("""{"ids": ["a", 3], "action": "queue"}""");

        Assert.True(Assert.IsType<HttpValidationProblemDetails>(problem).Errors.ContainsKey("ids[1]"));
    }

    [Fact]
    public void A_wrong_content_type_keeps_its_status()
    {
        var problem = ProblemExceptionHandler.FromBadRequest(new BadHttpRequestException("Expected a supported JSON media type", 415));

        Assert.Equal(415, problem.Status);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", problem.Extensions["code"]);
    }

    // What minimal APIs throw when the body does not deserialize (RouteHandlerOptions.ThrowOnBadRequest).
    private static ProblemDetails FromBody<T>(string json)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        var e = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<T>(json, options));
        return ProblemExceptionHandler.FromBadRequest(new BadHttpRequestException("Failed to read parameter", 400, e));
    }
}
