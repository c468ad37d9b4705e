namespace Pipeline.Benchmarks.Providers;

/// <summary>
/// Every video's plan: 2 assets, 3 scenes each narrated with an effect — 2 + 3 images, 3 clips, 3 narrations,
/// 3 effects and the assembly (15 calls).
/// </summary>
public static class SamplePlan
{
    public const int Calls = 15;

    public const string Json = """
        {
          "assets": [
            {"id": "lioness", "kind": "character", "prompt": "a lioness, side view"},
            {"id": "savanna", "kind": "environment", "prompt": "golden savanna at dawn"}
          ],
          "scenes": [
            {"id": "scene-01", "character": "lioness", "environment": "savanna", "video_prompt": "walks slowly",
             "narration": "At dawn, the pride wakes.", "sound_effect": "wind in dry grass"},
            {"id": "scene-02", "character": "lioness", "environment": "savanna", "video_prompt": "looks around",
             "narration": "She watches the plain.", "sound_effect": "a distant call"},
            {"id": "scene-03", "character": "lioness", "environment": "savanna", "video_prompt": "lies down",
             "narration": "Then she rests.", "sound_effect": "distant birds"}
          ]
        }
        """;
}
