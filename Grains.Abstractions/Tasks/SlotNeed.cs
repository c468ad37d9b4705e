namespace Pipeline.Grains.Abstractions.Tasks;

/// <summary>What a task needs from its channel's slots right now.</summary>
[GenerateSerializer]
[Alias("Pipeline.SlotNeed")]
public enum SlotNeed
{
    /// <summary>Nothing: a draft, a published video, or an error waiting for a person.</summary>
    None,

    /// <summary>Queued: waiting for a slot.</summary>
    Waiting,

    /// <summary>In production (or about to retry): holding a slot.</summary>
    Holding,
}
