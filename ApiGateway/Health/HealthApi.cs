using Microsoft.AspNetCore.Http.HttpResults;

namespace Pipeline.ApiGateway.Health;

/// <summary><c>/health</c>: the process is up. <c>/ready</c>: it can serve (database and cluster reachable).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => TypedResults.Ok(new HealthReport("up", [])))
            .WithTags("Health")
            .AllowAnonymous();
        app.MapGet("/ready", GetReadiness)
            .WithTags("Health")
            .AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<HealthReport>, ProblemHttpResult>> GetReadiness(
        ReadinessProbe probe, CancellationToken cancellationToken)
    {
        var checks = await probe.CheckAsync(cancellationToken);
        var failed = checks.Where(c => !c.Ok).ToList();
        if (failed.Count == 0)
        {
            return TypedResults.Ok(new HealthReport("ready", checks));
        }

        return TypedResults.Problem(
            title: "Not ready",
            detail: string.Join("; ", failed.Select(c => $"{c.Name} {c.Detail}")),
            statusCode: StatusCodes.Status503ServiceUnavailable,
            extensions: new Dictionary<string, object?>
            {
                ["code"] = "NOT_READY",
                ["checks"] = checks,
            });
    }

    /// <summary>The body of a successful health or readiness answer.</summary>
    public sealed record HealthReport(string Status, IReadOnlyList<ReadinessCheck> Checks);
}
