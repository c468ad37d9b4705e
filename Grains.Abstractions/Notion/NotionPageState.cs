using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Abstractions.Notion;

/// <summary>What a page grain keeps: the newest view to send, and what was sent.</summary>
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

    // Id 5 held the webhook event ids seen; the gateways keep them now (notion_events), a batch per insert.

    /// <summary>A refusal to show in the page's Error column until the next change.</summary>
    [Id(6)] public string? Refusal { get; set; }

    /// <summary>Failed sends in a row (for the backoff).</summary>
    [Id(7)] public int Failures { get; set; }

    /// <summary>The last error from Notion, if the last send failed.</summary>
    [Id(8)] public string? LastError { get; set; }
}
