using System.Globalization;
using Pipeline.ApiGateway.Problems;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.ApiGateway.Tasks;

/// <summary>A validated <c>GET /tasks</c> query: which statuses and channel, and which page.</summary>
/// <param name="Statuses">Status codes to keep (any of them); empty keeps all.</param>
/// <param name="ChannelId">The channel to keep; null keeps all.</param>
/// <param name="Page">From 1.</param>
/// <param name="PageSize">1 to <see cref="MaxPageSize"/>.</param>
public sealed record TaskListQuery(IReadOnlyList<string> Statuses, string? ChannelId, int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;
    public const int MaxChannelIdLength = 100;

    public long Offset => (long)(Page - 1) * PageSize;

    /// <summary>
    /// Reads the raw query values. <paramref name="status"/> may be repeated and each may hold a comma-separated
    /// list; empty values mean "no filter". Every problem is added to <paramref name="errors"/> under the
    /// parameter's name.
    /// </summary>
    /// <returns>The query, or null when <paramref name="errors"/> has something.</returns>
    public static TaskListQuery? Parse(
        IReadOnlyList<string?>? status, string? channel, string? page, string? pageSize, ValidationErrors errors)
    {
        var statuses = new List<string>();
        foreach (var code in (status ?? []).SelectMany(s => (s ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!WorkflowDefinition.TryParseCode(code, out var parsed))
            {
                errors.Add("status", $"'{Shorten(code)}' is not a status code; use one of: {string.Join(", ", WorkflowDefinition.Statuses.Select(s => s.Code))}.");
                continue;
            }

            var canonical = WorkflowDefinition.Get(parsed).Code;
            if (!statuses.Contains(canonical))
            {
                statuses.Add(canonical);
            }
        }

        var channelId = string.IsNullOrWhiteSpace(channel) ? null : channel.Trim();
        if (channelId is { Length: > MaxChannelIdLength })
        {
            errors.Add("channel", $"A channel id has at most {MaxChannelIdLength} characters.");
        }

        var pageNumber = ParseInt("page", page, 1, 1, int.MaxValue, errors);
        var size = ParseInt("page_size", pageSize, DefaultPageSize, 1, MaxPageSize, errors);
        return errors.IsEmpty ? new TaskListQuery(statuses, channelId, pageNumber, size) : null;
    }

    private static int ParseInt(string name, string? text, int defaultValue, int min, int max, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            || value < min || value > max)
        {
            errors.Add(name, max == int.MaxValue
                ? $"Must be a whole number of at least {min} (got '{Shorten(text)}')."
                : $"Must be a whole number from {min} to {max} (got '{Shorten(text)}').");
            return defaultValue;
        }

        return value;
    }

    // Values are echoed in messages; a long one would only bloat the answer.
    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
