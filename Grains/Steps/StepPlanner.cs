using System.Globalization;
using System.Text.Json;
using Pipeline.Grains.Abstractions.Plans;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Grains.Steps;

/// <summary>
/// Turns a plan into the jobs of each work status (DESIGN.md §4): one image per asset, then per
/// scene a composite, a clip, a narration line and a sound effect, then one assembly.
/// </summary>
public static class StepPlanner
{
    /// <summary>Where the assembly's manifest goes; written before the assembly job runs.</summary>
    public const string ManifestFile = "final/manifest.json";

    /// <summary>The finished video, relative to the workspace.</summary>
    public const string FinalVideoFile = "final/video.mp4";

    /// <summary>The jobs of a work status.</summary>
    /// <param name="status">A work status.</param>
    /// <param name="plan">The task's plan.</param>
    /// <returns>The jobs, in plan order.</returns>
    public static IReadOnlyList<JobSpec> JobsFor(WorkflowStatus status, Plan plan) => status switch
    {
        WorkflowStatus.GeneratingAssets => [.. plan.Assets.Select(Asset)],
        WorkflowStatus.GeneratingComposites => [.. plan.Scenes.Select(Composite)],
        WorkflowStatus.GeneratingVideo => [.. plan.Scenes.Select(Clip)],
        WorkflowStatus.GeneratingAudio => [.. plan.Scenes.Where(s => s.Narration is not null).Select(s => Narration(s, plan.Voice))],
        WorkflowStatus.GeneratingSfx => [.. plan.Scenes.Where(s => s.SoundEffect is not null).Select(SoundEffect)],
        WorkflowStatus.Assembling => [Assembly(plan)],
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a status whose work is jobs from the plan"),
    };

    /// <summary>The manifest assemble_video reads: each scene's clip, narration and effect, in order.</summary>
    /// <param name="plan">The task's plan.</param>
    /// <returns>The manifest's JSON.</returns>
    public static string AssemblyManifest(Plan plan) => JsonSerializer.Serialize(new
    {
        scenes = plan.Scenes.Select(s => new
        {
            id = s.Id,
            clip = $"../{ClipFile(s)}",
            narration = s.Narration is null ? null : $"../{NarrationFile(s)}",
            sfx = s.SoundEffect is null ? null : $"../{SoundEffectFile(s)}",
        }),
    }, ManifestJson);

    private static readonly JsonSerializerOptions ManifestJson = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static JobSpec Asset(PlanAsset asset) => new(
        $"assets/{asset.Id}", asset.Id, Providers.Gemini, "generate_asset",
        ["--prompt", asset.Prompt, "--output", AssetFile(asset.Id)], AssetFile(asset.Id), []);

    private static JobSpec Composite(PlanScene scene) => new(
        $"composites/{scene.Id}", scene.Id, Providers.Gemini, "create_composite",
        ["--character", AssetFile(scene.Character), "--environment", AssetFile(scene.Environment), "--output", CompositeFile(scene)],
        CompositeFile(scene), [AssetFile(scene.Character), AssetFile(scene.Environment)]);

    private static JobSpec Clip(PlanScene scene) => new(
        $"videos/{scene.Id}", scene.Id, Providers.Kling, "generate_video",
        ["--image", CompositeFile(scene), "--prompt", scene.VideoPrompt, "--duration", Seconds(scene.DurationSeconds), "--output", ClipFile(scene)],
        ClipFile(scene), [CompositeFile(scene)]);

    private static JobSpec Narration(PlanScene scene, string? voice) => new(
        $"audio/{scene.Id}", scene.Id, Providers.ElevenLabs, "generate_audio",
        ["--text", scene.Narration!, "--output", NarrationFile(scene), .. voice is null ? Array.Empty<string>() : ["--voice", voice]],
        NarrationFile(scene), []);

    private static JobSpec SoundEffect(PlanScene scene) => new(
        $"sfx/{scene.Id}", scene.Id, Providers.ElevenLabs, "generate_sound_effects",
        ["--text", scene.SoundEffect!, "--duration", Seconds(scene.DurationSeconds), "--output", SoundEffectFile(scene)],
        SoundEffectFile(scene), []);

    private static JobSpec Assembly(Plan plan) => new(
        "final/video", null, Providers.Local, "assemble_video",
        ["--manifest", ManifestFile, "--output", FinalVideoFile],
        FinalVideoFile,
        [ManifestFile, .. plan.Scenes.SelectMany(s => new[]
        {
            ClipFile(s),
            s.Narration is null ? null : NarrationFile(s),
            s.SoundEffect is null ? null : SoundEffectFile(s),
        }).OfType<string>()]);

    private static string AssetFile(string assetId) => $"assets/{assetId}.png";

    private static string CompositeFile(PlanScene scene) => $"composites/{scene.Id}.png";

    private static string ClipFile(PlanScene scene) => $"videos/{scene.Id}.mp4";

    private static string NarrationFile(PlanScene scene) => $"audio/{scene.Id}.mp3";

    private static string SoundEffectFile(PlanScene scene) => $"sfx/{scene.Id}.mp3";

    private static string Seconds(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);
}
