using System.Text.Json;

namespace Pipeline.Grains.Abstractions.Workflow;

/// <summary>
/// How actors and transition kinds are spelled outside .NET (the read model's columns, the admin API):
/// one place, so what is stored and what is shown cannot drift apart.
/// </summary>
public static class WorkflowCodes
{
    /// <summary>The actor's code: <c>system</c> or <c>human</c>.</summary>
    /// <param name="actor">The actor.</param>
    /// <returns>Its code.</returns>
    public static string Of(Actor actor) => JsonNamingPolicy.SnakeCaseLower.ConvertName(actor.ToString());

    /// <summary>The transition kind's code, e.g. <c>pass_on</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Its code.</returns>
    public static string Of(TransitionKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());
}
