namespace Pipeline.Grains.Abstractions.Plans;

/// <summary>One image of the plan.</summary>
/// <param name="Id">Its id (a file name: lowercase letters, digits, dashes).</param>
/// <param name="Kind">A character (placed into scenes) or an environment (a scene's background).</param>
/// <param name="Prompt">What the image generator is asked for.</param>
public sealed record PlanAsset(string Id, PlanAssetKind Kind, string Prompt);

/// <summary>What an asset is for in a composite.</summary>
public enum PlanAssetKind
{
    /// <summary>A subject, overlaid on an environment.</summary>
    Character,

    /// <summary>A background, filling the frame.</summary>
    Environment,
}
