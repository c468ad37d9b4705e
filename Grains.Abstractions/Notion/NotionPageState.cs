using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Abstractions.Notion;

/// <summary>What a page grain keeps: the newest view to send, what was sent, and the events already seen.</summary>
[GenerateSerializer]
[Alias("Pipeline.NotionPageState")]
public sealed record NotionPageState
{
    /// <summary>The channel whose database holds the page.</summary>
    [Id(0)] public string? ChannelId { get; set; }

    /// <summary>The newest view of the task, to be sent.</summary>
    [Id(1)] public NotionTaskView? Desired { get; set; }

    /// <summary>Counts changes to <see cref="Desired"/> (and refusals to show).</summary>
    [Id(2)] public long DesiredVersion { get; set; }

    /// <summary>The <see cref="DesiredVersion"/> last written to the page.</summary>
    [Id(9)] public long SentVersion { get; set; }

    /// <summary>The status last written to the page: seeing it there again is Pipeline's own write, not a person's.</summary>
    [Id(3)] public WorkflowStatus? SentStatus { get; set; }

    /// <summary>Whether the page's Status column is a select (else a status) column.</summary>
    [Id(4)] public bool StatusIsSelect { get; set; }

    /// <summary>Webhook event ids already handled, with when they came (kept for the retention window).</summary>
    [Id(5)] public Dictionary<string, DateTime> SeenEvents { get; set; } = [];

    /// <summary>A refusal to show in the page's Error column until the next change.</summary>
    [Id(6)] public string? Refusal { get; set; }

    /// <summary>Failed sends in a row (for the backoff).</summary>
    [Id(7)] public int Failures { get; set; }

    /// <summary>The last error from Notion, if the last send failed.</summary>
    [Id(8)] public string? LastError { get; set; }
}
