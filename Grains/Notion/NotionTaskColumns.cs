using System.Globalization;
using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Notion;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Notion;

/// <summary>Between a channel's Notion columns and a task: what Pipeline reads from a page, and what it writes to it.</summary>
public static class NotionTaskColumns
{
    /// <summary>The values Pipeline reads from a page.</summary>
    /// <param name="page">The page.</param>
    /// <param name="names">The channel's column names.</param>
    /// <returns>The snapshot.</returns>
    public static NotionPageSnapshot Read(NotionPage page, NotionPropertyNames names)
    {
        var status = page.Properties.GetValueOrDefault(names.Status);
        return new NotionPageSnapshot(
            page.Id,
            page.Text(names.Title) ?? "",
            status?.AsText,
            status is NotionSelect,
            page.Text(names.Topic),
            page.Text(names.StoryDirection),
            Priority(page.Properties.GetValueOrDefault(names.Priority)),
            page.LastEditedTime.UtcDateTime,
            page.InTrash);
    }

    /// <summary>The columns Pipeline writes, for a view of the task.</summary>
    /// <param name="view">The task as the page should show it.</param>
    /// <param name="error">What the Error column says.</param>
    /// <param name="names">The channel's column names.</param>
    /// <param name="statusIsSelect">Whether the Status column is a select column.</param>
    /// <returns>The values by column name.</returns>
    public static Dictionary<string, NotionPropertyValue> Write(NotionTaskView view, string error, NotionPropertyNames names, bool statusIsSelect)
    {
        var status = WorkflowDefinition.Get(view.Status).NotionName;
        return new Dictionary<string, NotionPropertyValue>(StringComparer.Ordinal)
        {
            [names.Status] = statusIsSelect ? new NotionSelect(status) : new NotionStatus(status),
            [names.Error] = new NotionRichText(error),
            [names.RetryCount] = new NotionNumber(view.RetryCount),
            [names.Cost] = new NotionNumber(decimal.Round(view.CostUsd, 4)),
            [names.YouTubeUrl] = new NotionUrl(view.YouTubeUrl),
            [names.Updated] = new NotionDate(new DateTimeOffset(DateTime.SpecifyKind(view.UpdatedAt, DateTimeKind.Utc))),
        };
    }

    /// <summary>Low −1, Normal (or empty) 0, High 1; a number column as its (whole) value.</summary>
    private static int Priority(NotionPropertyValue? value) => value switch
    {
        NotionNumber { Value: { } number } => (int)Math.Clamp(decimal.Round(number), -1000, 1000),
        _ => value?.AsText?.Trim().ToLower(CultureInfo.InvariantCulture) switch
        {
            "low" => -1,
            "high" => 1,
            "urgent" => 2,
            _ => 0,
        },
    };
}
