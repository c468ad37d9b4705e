using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Notion;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Grains.Notion;

namespace Pipeline.Tests.Notion;

/// <summary>What Pipeline writes to a task's Notion page, and what it reads from one.</summary>
public sealed class NotionTaskColumnsTests
{
    private static readonly NotionPropertyNames Names = new(Status: "Stage", YouTubeUrl: "Video");

    [Fact]
    public void A_published_task_writes_its_status_url_cost_retries_and_time_under_the_channels_column_names()
    {
        var updated = new DateTime(2026, 12, 2, 7, 30, 0, DateTimeKind.Utc);
        var view = new NotionTaskView("films", WorkflowStatus.Published, "", 1, 0.123456m, "https://www.youtube.com/watch?v=abc123", updated, 40);

        var values = NotionTaskColumns.Write(view, "", Names, statusIsSelect: false);

        Assert.Equal(new NotionStatus("Published"), values["Stage"]);
        Assert.Equal(new NotionUrl("https://www.youtube.com/watch?v=abc123"), values["Video"]);
        Assert.Equal(new NotionNumber(0.1235m), values["Cost"]);
        Assert.Equal(new NotionNumber(1), values["Retry Count"]);
        Assert.Equal(new NotionRichText(""), values["Error"]);
        Assert.Equal(new NotionDate(new DateTimeOffset(updated)), values["Updated"]);
        Assert.Equal(new NotionSelect("Published"), NotionTaskColumns.Write(view, "", Names, statusIsSelect: true)["Stage"]);
    }

    [Fact]
    public void A_page_reads_as_title_status_topic_and_priority_from_the_channels_columns()
    {
        var page = new NotionPage("page-1", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, false, null, "db", "ds",
            new Dictionary<string, NotionPropertyValue>
            {
                ["Name"] = new NotionTitle("Lions"),
                ["Stage"] = new NotionSelect("Queued"),
                ["Topic"] = new NotionRichText("A pride"),
                ["Priority"] = new NotionSelect("High"),
            });

        var read = NotionTaskColumns.Read(page, Names);

        Assert.Equal(("Lions", "Queued", true, "A pride", 1), (read.Title, read.Status, read.StatusIsSelect, read.Topic, read.Priority));
        Assert.Null(read.StoryDirection);
    }
}
