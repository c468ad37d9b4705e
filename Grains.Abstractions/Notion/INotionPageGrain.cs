using Orleans.Concurrency;

namespace Pipeline.Grains.Abstractions.Notion;

/// <summary>
/// One Notion page and the task it plans (key: the page id, which is also the task's id). Inbound, a
/// webhook event is a cue to read the page again; what a person changed becomes a task, or the matching
/// transition, or a refusal written back to the page. Outbound, the task's newest view is written to the
/// page — coalesced (only the newest is sent), under the cluster-wide Notion limit, retried with backoff,
/// kept across restarts — without ever holding up the task.
/// </summary>
public interface INotionPageGrain : IGrainWithStringKey
{
    /// <summary>A webhook event about the page (a first delivery: the gateway drops repeats): the page is read again, once per burst.</summary>
    /// <param name="notionEvent">The event as Notion sent it.</param>
    /// <returns>Nothing; one-way, so the webhook is answered at once.</returns>
    [OneWay]
    Task Cue(NotionWebhookEvent notionEvent);

    /// <summary>The page as a sweep read it: the same as a cue, without reading it again.</summary>
    /// <param name="channelId">The channel whose database holds the page.</param>
    /// <param name="page">The page's values.</param>
    /// <returns>What was done.</returns>
    Task<NotionReconcileOutcome> Reconcile(string channelId, NotionPageSnapshot page);

    /// <summary>The task changed: its newest view replaces any not yet sent.</summary>
    /// <param name="view">The task as the page should show it.</param>
    /// <returns>Nothing; one-way, so the task never waits on Notion.</returns>
    [OneWay]
    Task Publish(NotionTaskView view);

    /// <summary>The sync's state (for the Dashboard and tests).</summary>
    /// <returns>A snapshot.</returns>
    [AlwaysInterleave]
    Task<NotionPageState> GetState();
}
