namespace Pipeline.Grains.Abstractions.Plans;

/// <summary>One scene: a composite of a character in an environment, animated, narrated, with a sound effect.</summary>
/// <param name="Id">Its id (a file name: lowercase letters, digits, dashes).</param>
/// <param name="Character">The id of a character asset.</param>
/// <param name="Environment">The id of an environment asset.</param>
/// <param name="VideoPrompt">How the clip should move.</param>
/// <param name="Narration">What the narrator says; none means the scene keeps its clip's length.</param>
/// <param name="SoundEffect">The effect under the narration, when there is one.</param>
/// <param name="DurationSeconds">The clip's length: 5 or 10 seconds (what Kling makes).</param>
public sealed record PlanScene(
    string Id,
    string Character,
    string Environment,
    string VideoPrompt,
    string? Narration,
    string? SoundEffect,
    int DurationSeconds);
