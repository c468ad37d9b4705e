using Pipeline.ApiGateway.Problems;
using Pipeline.Grains.Abstractions.Tasks;

namespace Pipeline.ApiGateway.Tasks;

/// <summary>The body of <c>POST /tasks/bulk</c>: one action, with the same notes, for many tasks.</summary>
/// <param name="Ids">1 to 500 distinct task ids.</param>
/// <param name="Action">queue, approve, reject, retry or cancel.</param>
/// <param name="Notes">As for the single action (required for reject; a cancel's reason).</param>
/// <param name="Gate">approve and reject only.</param>
/// <param name="Items">reject only.</param>
/// <param name="By">Who acts; "api" when absent.</param>
public sealed record BulkRequest(
    IReadOnlyList<string?>? Ids = null,
    string? Action = null,
    string? Notes = null,
    string? Gate = null,
    IReadOnlyList<string?>? Items = null,
    string? By = null)
{
    public const int MaxIds = 500;

    /// <summary>Checks the request as a whole: a bad id or action refuses all of it, so nothing runs half-understood.</summary>
    /// <returns>The ids, the action and what to send, or null when <paramref name="errors"/> has something.</returns>
    public static (IReadOnlyList<string> Ids, TaskAction Action, HumanAction Human)? Validate(BulkRequest? request, ValidationErrors errors)
    {
        if (request is null)
        {
            errors.Add("body", "A JSON object with ids and action is required.");
            return null;
        }

        var ids = new List<string>();
        if (request.Ids is not { Count: > 0 } given)
        {
            errors.Add("ids", $"Required: 1 to {MaxIds} task ids.");
        }
        else if (given.Count > MaxIds)
        {
            errors.Add("ids", $"At most {MaxIds} ids per request (got {given.Count}).");
        }
        else
        {
            for (var i = 0; i < given.Count; i++)
            {
                if (!TaskIds.IsValid(given[i]))
                {
                    errors.Add($"ids[{i}]", $"A task id is {TaskIds.Rule}.");
                }
                else
                {
                    ids.Add(given[i]!);
                }
            }

            var repeated = ids.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            if (repeated.Count > 0)
            {
                errors.Add("ids", $"Each id once; repeated: {string.Join(", ", repeated.Take(10))}{(repeated.Count > 10 ? ", …" : "")}.");
            }
        }

        HumanAction? human = null;
        if (!TaskActions.TryParse(request.Action, out var action))
        {
            errors.Add("action", $"Required: one of {string.Join(", ", TaskActions.Names)}.");
        }
        else
        {
            human = HumanActions.Build(action, request.Gate, request.Notes, request.Items, request.By, errors);
        }

        return errors.IsEmpty && human is not null ? (ids, action, human) : null;
    }
}
