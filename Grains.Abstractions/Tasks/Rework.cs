namespace Pipeline.Grains.Abstractions.Tasks;

/// <summary>A reviewer's rejection: redo these items (all when empty), with these notes.</summary>
/// <param name="Notes">What to change.</param>
/// <param name="Items">The ids of the items to regenerate; empty means all.</param>
/// <param name="RequestedAt">When the reviewer asked (UTC): an item made after it is not made again.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.Rework")]
public sealed record Rework(
    [property: Id(0)] string Notes,
    [property: Id(1)] IReadOnlyList<string> Items,
    [property: Id(2)] DateTime RequestedAt = default);
