using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Tests.Fakes;

/// <summary>Queries: Notion's filter language (the conditions Pipeline uses and their neighbours), sorts and cursors.</summary>
public sealed partial class FakeNotion
{
    private const int MaxPageSize = 100;

    private readonly Dictionary<string, int> _cursors = [];

    private FakeResponse Query(RecordedRequest request, string version, DataSourceState? source, string kind, string id)
    {
        if (source is null)
        {
            return NotFound(kind, id);
        }

        JsonObject body;
        try
        {
            body = request.Body.Length == 0 ? [] : JsonNode.Parse(request.Body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            return Error(400, "invalid_json", $"Error parsing JSON body: {e.Message}");
        }

        List<PageState> pages;
        try
        {
            var filter = body["filter"];
            pages = [.. _pages.Values.Where(p => p.Source == source && !p.InTrash && (filter is null || Matches(p, filter, "body.filter")))];
            pages = Sort(pages, body["sorts"]);
        }
        catch (InvalidFilterException e)
        {
            return Error(400, "validation_error", e.Message);
        }

        return Paginate(pages, body["page_size"], body["start_cursor"]?.GetValue<string>(), p => PageJson(p, version),
            kind == "database" ? "page_or_database" : "page_or_data_source");
    }

    private FakeResponse Paginate<T>(IReadOnlyList<T> items, JsonNode? pageSize, string? startCursor, Func<T, JsonObject> render, string type)
    {
        var size = MaxPageSize;
        if (pageSize is not null)
        {
            if (pageSize.GetValueKind() != JsonValueKind.Number || !pageSize.AsValue().TryGetValue(out int asked) || asked < 1 || asked > MaxPageSize)
            {
                return Error(400, "validation_error", $"body failed validation: body.page_size should be a number between 1 and {MaxPageSize}, instead was `{pageSize.ToJsonString()}`.");
            }

            size = asked;
        }

        var offset = 0;
        if (startCursor is not null && !_cursors.TryGetValue(startCursor, out offset))
        {
            return Error(400, "validation_error", $"The start_cursor provided is invalid: {startCursor}");
        }

        var results = items.Skip(offset).Take(size).ToList();
        var hasMore = offset + results.Count < items.Count;
        string? next = null;
        if (hasMore)
        {
            next = NewId();
            _cursors[next] = offset + results.Count;
        }

        return FakeResponse.Json(new JsonObject
        {
            ["object"] = "list",
            ["results"] = new JsonArray([.. results.Select(r => (JsonNode)render(r))]),
            ["next_cursor"] = next,
            ["has_more"] = hasMore,
            ["type"] = type,
            [type] = new JsonObject(),
            ["request_id"] = NewId(),
        });
    }

    private static bool Matches(PageState page, JsonNode filter, string path)
    {
        if (filter is not JsonObject condition)
        {
            throw new InvalidFilterException($"body failed validation: {path} should be an object.");
        }

        if (condition["and"] is JsonArray all)
        {
            return all.Select((f, i) => (f, i)).All(x => Matches(page, x.f!, $"{path}.and[{x.i}]"));
        }

        if (condition["or"] is JsonArray any)
        {
            // Evaluate every branch, so a bad one is reported even when an earlier one matched.
            return any.Select((f, i) => Matches(page, f!, $"{path}.or[{i}]")).ToList().Contains(true);
        }

        if (condition["timestamp"]?.GetValue<string>() is { } timestamp)
        {
            var time = timestamp switch
            {
                "last_edited_time" => Minute(page.LastEdited),
                "created_time" => Minute(page.Created),
                _ => throw new InvalidFilterException($"body failed validation: {path}.timestamp should be `created_time` or `last_edited_time`, instead was `{timestamp}`."),
            };
            return DateCondition(time, condition[timestamp] as JsonObject, $"{path}.{timestamp}");
        }

        if (condition["property"]?.GetValue<string>() is not { } name)
        {
            throw new InvalidFilterException($"body failed validation: {path} should be a property, timestamp or compound filter.");
        }

        var schema = page.Source.Find(name) ?? throw new InvalidFilterException($"Could not find property with name or id: {name}");
        var type = condition.Select(p => p.Key).FirstOrDefault(k => k != "property")
            ?? throw new InvalidFilterException($"body failed validation: {path} has no condition.");
        var textLike = type is "title" or "rich_text" && schema.Type is "title" or "rich_text";
        if (type != schema.Type && !textLike)
        {
            throw new InvalidFilterException($"database property {schema.Type} does not match filter {type}");
        }

        if (condition[type] is not JsonObject test || test.Count != 1)
        {
            throw new InvalidFilterException($"body failed validation: {path}.{type} should have exactly one condition.");
        }

        var (op, operand) = test.First();
        var value = page.Values[schema.Name];
        return schema.Type switch
        {
            "title" or "rich_text" => TextCondition(PlainText(value), op, operand, path),
            "url" => TextCondition(value?.GetValue<string>() ?? "", op, operand, path),
            "select" or "status" => OptionCondition(value?["name"]?.GetValue<string>(), op, operand, path),
            "number" => NumberCondition(value?.GetValue<decimal>(), op, operand, path),
            "checkbox" => op switch
            {
                "equals" => value!.GetValue<bool>() == Operand<bool>(operand, path),
                "does_not_equal" => value!.GetValue<bool>() != Operand<bool>(operand, path),
                _ => throw Unknown(op, path),
            },
            "date" => value?["start"]?.GetValue<string>() is { } start
                ? DateCondition(DateTimeOffset.Parse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), test, path)
                : op == "is_empty",
            _ => throw new InvalidFilterException($"the fake does not filter {schema.Type} properties"),
        };
    }

    private static bool TextCondition(string text, string op, JsonNode? operand, string path) => op switch
    {
        "equals" => text == Operand<string>(operand, path),
        "does_not_equal" => text != Operand<string>(operand, path),
        "contains" => text.Contains(Operand<string>(operand, path), StringComparison.OrdinalIgnoreCase),
        "does_not_contain" => !text.Contains(Operand<string>(operand, path), StringComparison.OrdinalIgnoreCase),
        "starts_with" => text.StartsWith(Operand<string>(operand, path), StringComparison.OrdinalIgnoreCase),
        "ends_with" => text.EndsWith(Operand<string>(operand, path), StringComparison.OrdinalIgnoreCase),
        "is_empty" => text.Length == 0,
        "is_not_empty" => text.Length > 0,
        _ => throw Unknown(op, path),
    };

    private static bool OptionCondition(string? name, string op, JsonNode? operand, string path) => op switch
    {
        "equals" => name == Operand<string>(operand, path),
        "does_not_equal" => name != Operand<string>(operand, path),
        "is_empty" => name is null,
        "is_not_empty" => name is not null,
        _ => throw Unknown(op, path),
    };

    private static bool NumberCondition(decimal? number, string op, JsonNode? operand, string path) => op switch
    {
        "is_empty" => number is null,
        "is_not_empty" => number is not null,
        _ when number is null => false,
        "equals" => number == Operand<decimal>(operand, path),
        "does_not_equal" => number != Operand<decimal>(operand, path),
        "greater_than" => number > Operand<decimal>(operand, path),
        "less_than" => number < Operand<decimal>(operand, path),
        "greater_than_or_equal_to" => number >= Operand<decimal>(operand, path),
        "less_than_or_equal_to" => number <= Operand<decimal>(operand, path),
        _ => throw Unknown(op, path),
    };

    private static bool DateCondition(DateTimeOffset time, JsonObject? test, string path)
    {
        if (test is null || test.Count != 1)
        {
            throw new InvalidFilterException($"body failed validation: {path} should have exactly one condition.");
        }

        var (op, operand) = test.First();
        if (op is "is_empty" or "is_not_empty")
        {
            return op == "is_not_empty";
        }

        var text = Operand<string>(operand, path);
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var bound))
        {
            throw new InvalidFilterException($"body failed validation: {path}.{op} should be an ISO 8601 date, instead was `{text}`.");
        }

        // A date without a time compares whole days, as in Notion.
        if (!text.Contains('T', StringComparison.Ordinal))
        {
            time = new DateTimeOffset(time.UtcDateTime.Date, TimeSpan.Zero);
        }

        return op switch
        {
            "equals" => time == bound,
            "before" => time < bound,
            "after" => time > bound,
            "on_or_before" => time <= bound,
            "on_or_after" => time >= bound,
            _ => throw Unknown(op, path),
        };
    }

    private static T Operand<T>(JsonNode? operand, string path)
    {
        try
        {
            return operand is null ? throw new InvalidOperationException("null") : operand.GetValue<T>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidFilterException($"body failed validation: {path} has a condition value of the wrong type ({operand?.ToJsonString() ?? "null"}).");
        }
    }

    private static InvalidFilterException Unknown(string op, string path) =>
        new($"body failed validation: {path} does not know the condition `{op}`.");

    private static List<PageState> Sort(List<PageState> pages, JsonNode? sorts)
    {
        if (sorts is null)
        {
            return [.. pages.OrderBy(p => p.Sequence)];
        }

        if (sorts is not JsonArray list)
        {
            throw new InvalidFilterException("body failed validation: body.sorts should be an array.");
        }

        IOrderedEnumerable<PageState>? ordered = null;
        foreach (var sort in list)
        {
            var descending = sort?["direction"]?.GetValue<string>() switch
            {
                "ascending" => false,
                "descending" => true,
                var other => throw new InvalidFilterException($"body failed validation: sort direction should be `ascending` or `descending`, instead was `{other}`."),
            };
            Func<PageState, IComparable?> key;
            if (sort?["timestamp"]?.GetValue<string>() is { } timestamp)
            {
                key = timestamp switch
                {
                    "created_time" => p => Minute(p.Created),
                    "last_edited_time" => p => Minute(p.LastEdited),
                    _ => throw new InvalidFilterException($"body failed validation: sort timestamp should be `created_time` or `last_edited_time`, instead was `{timestamp}`."),
                };
            }
            else if (sort?["property"]?.GetValue<string>() is { } name)
            {
                key = p => SortKey(p, p.Source.Find(name) ?? throw new InvalidFilterException($"Could not find sort property with name or id: {name}"));
            }
            else
            {
                throw new InvalidFilterException("body failed validation: a sort needs a property or a timestamp.");
            }

            var comparer = Comparer<IComparable?>.Create((a, b) => (a, b) switch
            {
                (null, null) => 0,
                // Empty values go last whichever the direction.
                (null, _) => descending ? -1 : 1,
                (_, null) => descending ? 1 : -1,
                _ => a.CompareTo(b),
            });
            ordered = ordered is null
                ? descending ? pages.OrderByDescending(key, comparer) : pages.OrderBy(key, comparer)
                : descending ? ordered.ThenByDescending(key, comparer) : ordered.ThenBy(key, comparer);
        }

        return ordered is null ? [.. pages.OrderBy(p => p.Sequence)] : [.. ordered.ThenBy(p => p.Sequence)];
    }

    private static IComparable? SortKey(PageState page, Schema schema)
    {
        var value = page.Values[schema.Name];
        return schema.Type switch
        {
            "title" or "rich_text" => PlainText(value) is { Length: > 0 } text ? text.ToUpperInvariant() : null,
            "url" => value?.GetValue<string>().ToUpperInvariant(),
            "select" or "status" => value?["name"]?.GetValue<string>() is { } name ? schema.Options.FindIndex(o => o.Name == name) : null,
            "number" => value?.GetValue<decimal>(),
            "checkbox" => value?.GetValue<bool>(),
            "date" => value?["start"]?.GetValue<string>() is { } start
                ? DateTimeOffset.Parse(start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
                : null,
            _ => null,
        };
    }

    private sealed class InvalidFilterException(string message) : Exception(message);
}
