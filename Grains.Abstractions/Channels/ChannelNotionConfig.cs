namespace Pipeline.Grains.Abstractions.Channels;

/// <summary>A channel's Notion database (channels.yaml <c>notion:</c>): where its videos are planned, and the names of its columns.</summary>
/// <param name="DatabaseId">The database (the id in its URL); its one data source holds the pages.</param>
/// <param name="Properties">The names of the columns Pipeline reads and writes.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.ChannelNotionConfig")]
public sealed record ChannelNotionConfig(
    [property: Id(0)] string DatabaseId,
    [property: Id(1)] NotionPropertyNames Properties);

/// <summary>The columns of a channel's Notion database, by what they mean to Pipeline (channels.yaml <c>notion.properties</c>).</summary>
/// <param name="Title">The page title: the working title.</param>
/// <param name="Status">The 26 statuses (a status or select column; its options are the statuses' Notion names).</param>
/// <param name="Topic">What the video is about (text).</param>
/// <param name="StoryDirection">How the story should go (text).</param>
/// <param name="Priority">Low, Normal or High (select), or a number.</param>
/// <param name="Error">Why the task stopped, or why a person's change was refused (text, written by Pipeline).</param>
/// <param name="RetryCount">Automatic retries so far (number, written by Pipeline).</param>
/// <param name="Cost">What the video cost so far in US dollars (number, written by Pipeline).</param>
/// <param name="YouTubeUrl">The published video (URL, written by Pipeline).</param>
/// <param name="Updated">When Pipeline last changed the task (date, written by Pipeline).</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.NotionPropertyNames")]
public sealed record NotionPropertyNames(
    [property: Id(0)] string Title = "Name",
    [property: Id(1)] string Status = "Status",
    [property: Id(2)] string Topic = "Topic",
    [property: Id(3)] string StoryDirection = "Story Direction",
    [property: Id(4)] string Priority = "Priority",
    [property: Id(5)] string Error = "Error",
    [property: Id(6)] string RetryCount = "Retry Count",
    [property: Id(7)] string Cost = "Cost",
    [property: Id(8)] string YouTubeUrl = "YouTube URL",
    [property: Id(9)] string Updated = "Updated");
