using Pipeline.ApiGateway.Problems;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.ApiGateway.Tasks;

/// <summary>
/// Checks what a person sends with an action and turns it into the grain's <see cref="HumanAction"/>. Only
/// the content is checked here; whether the task may make the move now is the grain's decision.
/// </summary>
public static class HumanActions
{
    public const int MaxNotesLength = 10_000;
    public const int MaxByLength = 100;
    public const int MaxItems = 1_000;
    public const int MaxItemLength = 200;

    /// <summary>Who acted, when the request does not say.</summary>
    public const string DefaultBy = "api";

    private static readonly IReadOnlyDictionary<string, ReviewGate> Gates =
        new Dictionary<string, ReviewGate>(StringComparer.OrdinalIgnoreCase)
        {
            ["assets"] = ReviewGate.Assets,
            ["video"] = ReviewGate.Video,
            ["audio"] = ReviewGate.Audio,
            ["final"] = ReviewGate.Final,
        };

    /// <summary>The API's name of a gate (as in channels.yaml's auto_approve).</summary>
    public static string GateName(ReviewGate gate) => gate.ToString().ToLowerInvariant();

    /// <param name="action">What is asked.</param>
    /// <param name="gate">approve and reject only: the gate meant.</param>
    /// <param name="notes">The reviewer's words, or a cancellation's reason; required for reject.</param>
    /// <param name="items">reject only: the items to regenerate.</param>
    /// <param name="by">Who acts.</param>
    /// <param name="errors">Where problems go, by field.</param>
    /// <param name="notesField">The field the notes came in (cancel calls it <c>reason</c>).</param>
    /// <returns>The action, or null when <paramref name="errors"/> has something.</returns>
    public static HumanAction? Build(
        TaskAction action,
        string? gate,
        string? notes,
        IReadOnlyList<string?>? items,
        string? by,
        ValidationErrors errors,
        string notesField = "notes")
    {
        var before = errors.Count;
        ReviewGate? reviewGate = null;
        if (!string.IsNullOrWhiteSpace(gate))
        {
            if (action is not (TaskAction.Approve or TaskAction.Reject))
            {
                errors.Add("gate", $"Only approve and reject take a gate, not {action.Name()}.");
            }
            else if (Gates.TryGetValue(gate.Trim(), out var parsed))
            {
                reviewGate = parsed;
            }
            else
            {
                errors.Add("gate", $"'{gate}' is not a gate; use one of: {string.Join(", ", Gates.Keys)}.");
            }
        }

        var text = errors.OptionalText(notesField, notes, MaxNotesLength);
        if (action == TaskAction.Reject && text is null)
        {
            errors.Add(notesField, "A rejection needs notes: what should change.");
        }

        var itemIds = Items(action, items, errors);
        var who = errors.OptionalText("by", by, MaxByLength) ?? DefaultBy;
        return errors.Count == before ? new HumanAction(reviewGate, text, itemIds, who) : null;
    }

    private static IReadOnlyList<string>? Items(TaskAction action, IReadOnlyList<string?>? items, ValidationErrors errors)
    {
        if (items is null || items.Count == 0)
        {
            return null;
        }

        if (action != TaskAction.Reject)
        {
            errors.Add("items", $"Only reject takes items, not {action.Name()}.");
            return null;
        }

        if (items.Count > MaxItems)
        {
            errors.Add("items", $"At most {MaxItems} items (got {items.Count}).");
            return null;
        }

        var ids = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i]?.Trim();
            if (string.IsNullOrEmpty(item) || item.Length > MaxItemLength)
            {
                errors.Add($"items[{i}]", $"An item id is 1 to {MaxItemLength} characters.");
            }
            else if (!ids.Contains(item, StringComparer.Ordinal))
            {
                ids.Add(item);
            }
        }

        return ids;
    }
}
