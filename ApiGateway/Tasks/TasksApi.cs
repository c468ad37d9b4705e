using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Pipeline.ApiGateway.Problems;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.ApiGateway.Tasks;

/// <summary>
/// <c>/tasks</c>: lists and counts come from the read model; everything about one task, and every change,
/// goes through its task grain, which alone decides what the workflow allows.
/// </summary>
public static class TasksApi
{
    // A bulk action fans out to grains; this many at a time keeps one request from flooding the cluster.
    private const int BulkParallelism = 16;

    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/tasks")
            .WithTags("Tasks")
            .RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        api.MapGet("", ListTasks)
            .WithName("ListTasks")
            .WithSummary("List tasks, newest change first")
            .WithDescription("From the read model, which the task grains keep up to date.")
            .AddOpenApiOperationTransformer(DescribeListParameters)
            .ProducesValidationProblem();

        api.MapGet("/{id}", GetTask)
            .WithName("GetTask")
            .WithSummary("One task: its live state and its history")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", CreateTask)
            .WithName("CreateTask")
            .WithSummary("Create a task in draft (or queued)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/bulk", RunBulkAction)
            .WithName("BulkTaskAction")
            .WithSummary("Apply one action to many tasks; a result per task")
            .ProducesValidationProblem();

        MapAction(api.MapPost("/{id}/queue", QueueTask), "QueueTask",
            "Queue a draft: its channel starts it when a slot is free");
        MapAction(api.MapPost("/{id}/approve", ApproveTask), "ApproveTask",
            "Approve the review gate the task waits at");
        MapAction(api.MapPost("/{id}/reject", RejectTask), "RejectTask",
            "Reject the review gate: the step runs again with the notes, for the items named or all");
        MapAction(api.MapPost("/{id}/retry", RetryTask), "RetryTask",
            "Retry a failed step now, resetting the retry count");
        MapAction(api.MapPost("/{id}/cancel", CancelTask), "CancelTask",
            "Send the task back to draft; running jobs stop, files are kept");

        return app;
    }

    private static void MapAction(RouteHandlerBuilder endpoint, string name, string summary) =>
        endpoint
            .WithName(name)
            .WithSummary(summary)
            .WithDescription("409 INVALID_TRANSITION when the workflow does not allow it from the task's current status (task_status).")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    public static async Task<Results<Ok<TaskPage>, ProblemHttpResult>> ListTasks(
        [FromQuery] string[]? status,
        [FromQuery] string? channel,
        [FromQuery] string? page,
        [FromQuery(Name = "page_size")] string? pageSize,
        TaskQueries queries,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (TaskListQuery.Parse(status, channel, page, pageSize, errors) is not { } query)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        return TypedResults.Ok(await queries.ListAsync(query, cancellationToken));
    }

    public static async Task<Results<Ok<TaskDetails>, ProblemHttpResult>> GetTask(
        string id, IGrainFactory grains, TaskQueries queries, CancellationToken cancellationToken)
    {
        if (!TaskIds.IsValid(id))
        {
            return NoSuchTask(id);
        }

        var stateCall = grains.GetGrain<ITaskGrain>(id).GetState();
        var historyQuery = queries.TransitionsAsync(id, cancellationToken);
        await Task.WhenAll(stateCall, historyQuery);
        var state = await stateCall;
        if (state.TaskId.Length == 0)
        {
            return NoSuchTask(id);
        }

        return TypedResults.Ok(new TaskDetails(TaskResponse.From(state), History(await historyQuery, state)));
    }

    public static async Task<Results<Created<TaskResponse>, ProblemHttpResult>> CreateTask(
        [FromBody] CreateTaskRequest? body, IGrainFactory grains)
    {
        var errors = new ValidationErrors();
        if (CreateTaskRequest.Validate(body, errors, TaskIds.New) is not { } valid)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var (id, task) = valid;
        var result = await grains.GetGrain<ITaskGrain>(id).Create(task);
        if (!result.Ok)
        {
            return ApiProblems.ForRefusal(result);
        }

        return TypedResults.Created($"/tasks/{id}", TaskResponse.From(Changed(result)));
    }

    public static Task<Results<Ok<TaskResponse>, ProblemHttpResult>> QueueTask(
        string id, [FromBody] ActionRequest? body, IGrainFactory grains) =>
        RunAsync(grains, id, TaskAction.Queue, errors =>
            HumanActions.Build(TaskAction.Queue, null, body?.Notes, null, body?.By, errors));

    public static Task<Results<Ok<TaskResponse>, ProblemHttpResult>> ApproveTask(
        string id, [FromBody] ApproveRequest? body, IGrainFactory grains) =>
        RunAsync(grains, id, TaskAction.Approve, errors =>
            HumanActions.Build(TaskAction.Approve, body?.Gate, body?.Notes, null, body?.By, errors));

    public static Task<Results<Ok<TaskResponse>, ProblemHttpResult>> RejectTask(
        string id, [FromBody] RejectRequest? body, IGrainFactory grains) =>
        RunAsync(grains, id, TaskAction.Reject, errors =>
            HumanActions.Build(TaskAction.Reject, body?.Gate, body?.Notes, body?.Items, body?.By, errors));

    public static Task<Results<Ok<TaskResponse>, ProblemHttpResult>> RetryTask(
        string id, [FromBody] ActionRequest? body, IGrainFactory grains) =>
        RunAsync(grains, id, TaskAction.Retry, errors =>
            HumanActions.Build(TaskAction.Retry, null, body?.Notes, null, body?.By, errors));

    public static Task<Results<Ok<TaskResponse>, ProblemHttpResult>> CancelTask(
        string id, [FromBody] CancelRequest? body, IGrainFactory grains) =>
        RunAsync(grains, id, TaskAction.Cancel, errors =>
            HumanActions.Build(TaskAction.Cancel, null, body?.Reason, null, body?.By, errors, notesField: "reason"));

    public static async Task<Results<Ok<BulkResponse>, ProblemHttpResult>> RunBulkAction(
        [FromBody] BulkRequest? body, IGrainFactory grains, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (BulkRequest.Validate(body, errors) is not { } valid)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var (ids, action, human) = valid;
        var logger = loggers.CreateLogger(typeof(TasksApi));
        var results = new BulkResult[ids.Count];
        var options = new ParallelOptions { MaxDegreeOfParallelism = BulkParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), options, async (i, _) =>
            results[i] = await RunOneAsync(grains, ids[i], action, human, logger));
        return TypedResults.Ok(new BulkResponse(results));
    }

    private static async Task<Results<Ok<TaskResponse>, ProblemHttpResult>> RunAsync(
        IGrainFactory grains, string id, TaskAction action, Func<ValidationErrors, HumanAction?> build)
    {
        // An id that cannot exist is not sent to a grain: it would only activate an empty one.
        if (!TaskIds.IsValid(id))
        {
            return NoSuchTask(id);
        }

        var errors = new ValidationErrors();
        if (build(errors) is not { } human)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var result = await action.SendTo(grains.GetGrain<ITaskGrain>(id), human);
        return result.Ok ? TypedResults.Ok(TaskResponse.From(Changed(result))) : ApiProblems.ForRefusal(result);
    }

    // One task's failure must not lose the others' results: an exception becomes that task's result.
    private static async Task<BulkResult> RunOneAsync(
        IGrainFactory grains, string id, TaskAction action, HumanAction human, ILogger logger)
    {
        try
        {
            var result = await action.SendTo(grains.GetGrain<ITaskGrain>(id), human);
            var status = result.Task is { TaskId.Length: > 0 } task ? StatusNames.Code(task.Status) : null;
            return result.Ok
                ? new BulkResult(id, true, status)
                : new BulkResult(id, false, status, result.ErrorCode, result.Error);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var transient = ProblemExceptionHandler.IsTransient(e);
            logger.LogError(e, "Bulk {Action} failed for task {TaskId}", action.Name(), id);
            return new BulkResult(
                id,
                false,
                Code: transient ? ApiProblems.Unavailable : ApiProblems.InternalError,
                Error: transient ? "The task did not answer; try again." : "The action failed in the gateway; see its log.");
        }
    }

    /// <summary>
    /// The read model's history, completed by the transitions the grain has made but not yet written there,
    /// so a task's latest move always shows even while the database lags.
    /// </summary>
    public static IReadOnlyList<TransitionResponse> History(IReadOnlyList<TransitionResponse> stored, TaskState state)
    {
        var seen = stored.Select(t => t.Seq).ToHashSet();
        var pending = state.UnsyncedTransitions.Where(t => !seen.Contains(t.Sequence)).Select(TransitionResponse.From).ToList();
        return pending.Count == 0 ? stored : [.. stored.Concat(pending).OrderBy(t => t.Seq)];
    }

    private static TaskState Changed(TaskCommandResult result) =>
        result.Task ?? throw new InvalidOperationException("A task grain reported success without the task's state.");

    private static ProblemHttpResult NoSuchTask(string id) =>
        ApiProblems.Result(
            TaskErrorCodes.TaskNotFound,
            TaskIds.IsValid(id) ? $"No task has the id '{id}'." : $"No task has this id: a task id is {TaskIds.Rule}.");

    // The query values are bound as text so that a bad one gets a VALIDATION_FAILED naming it rather than
    // the framework's bare 400; the document still shows what they really are.
    private static Task DescribeListParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            switch (parameter.Name)
            {
                case "status":
                    parameter.Description = "Status codes to keep (any of them); repeat the parameter or separate with commas: " +
                        string.Join(", ", WorkflowDefinition.Statuses.Select(s => s.Code)) + ".";
                    break;
                case "channel":
                    parameter.Description = "A channel id.";
                    break;
                case "page":
                    parameter.Description = "From 1.";
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Default = 1 };
                    break;
                case "page_size":
                    parameter.Description = $"1 to {TaskListQuery.MaxPageSize}.";
                    parameter.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Integer,
                        Minimum = "1",
                        Maximum = TaskListQuery.MaxPageSize.ToString(CultureInfo.InvariantCulture),
                        Default = TaskListQuery.DefaultPageSize,
                    };
                    break;
            }
        }

        return Task.CompletedTask;
    }
}
