namespace Pipeline.Grains.Abstractions.Plans;

/// <summary>One thing wrong with a plan, at a JSON path such as <c>scenes[2].duration</c>.</summary>
/// <param name="Path">Where, from the plan's root; empty for the whole document.</param>
/// <param name="Message">What is wrong, for people.</param>
public sealed record PlanError(string Path, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
