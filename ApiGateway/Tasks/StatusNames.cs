using System.Text.Json;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.ApiGateway.Tasks;

/// <summary>How statuses and other workflow enums are spelled in the API (the codes of WorkflowDefinition, snake_case names).</summary>
public static class StatusNames
{
    /// <summary>The status code, e.g. <c>generating_assets</c>.</summary>
    public static string Code(WorkflowStatus status) =>
        WorkflowDefinition.IsDefined(status) ? WorkflowDefinition.Get(status).Code : Snake(status.ToString());

    /// <summary>The Notion option of a status code read from the read model; null for a code the workflow does not know.</summary>
    public static string? NotionName(string? code) =>
        WorkflowDefinition.TryParseCode(code, out var status) ? WorkflowDefinition.Get(status).NotionName : null;

    /// <summary>The Notion option of a status, e.g. <c>Generating Assets</c>.</summary>
    public static string? NotionName(WorkflowStatus status) =>
        WorkflowDefinition.IsDefined(status) ? WorkflowDefinition.Get(status).NotionName : null;

    /// <summary>Where a status sits in the workflow's order, for sorting counts; unknown codes go last.</summary>
    public static int Order(string code) =>
        WorkflowDefinition.TryParseCode(code, out var status) ? (int)status : int.MaxValue;

    private static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    /// <summary>What a person may do to a task in this status, by the names of the action endpoints.</summary>
    public static IReadOnlyList<string> HumanActions(WorkflowStatus status) =>
        WorkflowDefinition.TransitionsFrom(status)
            .Where(t => t.Actor == Actor.Human)
            .Select(t => WorkflowCodes.Of(t.Kind))
            .Distinct()
            .ToList();
}
