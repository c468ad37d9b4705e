namespace Pipeline.Grains.Abstractions.Plans;

/// <summary>
/// A video's production plan (plan.json): the images to make, and the scenes built from them.
/// Read and checked by <see cref="PlanReader"/>; docs/plan.md describes the file.
/// </summary>
/// <param name="Title">The video's title, when the plan gives one (else the task's title is used).</param>
/// <param name="Description">The video's description.</param>
/// <param name="Tags">The video's tags.</param>
/// <param name="Voice">The narration voice (an ElevenLabs voice id), when not the default.</param>
/// <param name="Assets">The images: characters and environments.</param>
/// <param name="Scenes">The scenes, in order.</param>
public sealed record Plan(
    string? Title,
    string? Description,
    IReadOnlyList<string> Tags,
    string? Voice,
    IReadOnlyList<PlanAsset> Assets,
    IReadOnlyList<PlanScene> Scenes);
