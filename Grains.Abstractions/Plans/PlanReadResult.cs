namespace Pipeline.Grains.Abstractions.Plans;

/// <summary>A plan read by <see cref="PlanReader"/>: the plan, or everything wrong with it.</summary>
/// <param name="Plan">The plan; null when there are errors.</param>
/// <param name="Errors">Every problem found, each at its field.</param>
public sealed record PlanReadResult(Plan? Plan, IReadOnlyList<PlanError> Errors)
{
    /// <summary>The errors on one line each, for a status reason or a log.</summary>
    /// <returns>The errors joined.</returns>
    public string Describe() => string.Join("; ", Errors);
}
