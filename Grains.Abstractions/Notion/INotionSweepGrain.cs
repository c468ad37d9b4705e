namespace Pipeline.Grains.Abstractions.Notion;

/// <summary>
/// A channel's Notion sweep (key: channel id): every few minutes it reads the channel's database and
/// reconciles every page with its task, catching what webhooks missed (lost, late, never sent).
/// </summary>
public interface INotionSweepGrain : IGrainWithStringKey
{
    /// <summary>Makes sure the periodic sweep runs (a durable reminder).</summary>
    /// <returns>When scheduled.</returns>
    Task Start();

    /// <summary>Sweeps now (minutes for a big database: every request waits its turn at the Notion limit).</summary>
    /// <returns>What it found and did.</returns>
    [ResponseTimeout("00:15:00")]
    Task<NotionSweepResult> SweepNow();
}

/// <summary>One sweep of a channel's database.</summary>
/// <param name="ChannelId">The channel.</param>
/// <param name="Pages">Pages read.</param>
/// <param name="Outcomes">How many pages ended each way.</param>
/// <param name="Error">Why the sweep could not read the database, if it could not.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.NotionSweepResult")]
public sealed record NotionSweepResult(
    [property: Id(0)] string ChannelId,
    [property: Id(1)] int Pages,
    [property: Id(2)] IReadOnlyDictionary<NotionReconcileOutcome, int> Outcomes,
    [property: Id(3)] string? Error = null);
