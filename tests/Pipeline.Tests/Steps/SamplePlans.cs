namespace Pipeline.Tests.Steps;

/// <summary>Small plans that make short videos quickly on local providers.</summary>
public static class SamplePlans
{
    /// <summary>
    /// Two images, three 5-second scenes: the first narrated with an effect, the second narrated
    /// only, the third with an effect only (it keeps its clip's length). 13 jobs in all.
    /// </summary>
    public const string ThreeScenes = """
        {
          "title": "Lions at dawn",
          "description": "A short test film.",
          "tags": ["lions", "test"],
          "assets": [
            {"id": "lioness", "kind": "character", "prompt": "a lioness, side view"},
            {"id": "savanna", "kind": "environment", "prompt": "golden savanna at dawn"}
          ],
          "scenes": [
            {"id": "scene-01", "character": "lioness", "environment": "savanna", "video_prompt": "walks slowly",
             "narration": "At dawn, the pride wakes.", "sound_effect": "wind in dry grass"},
            {"id": "scene-02", "character": "lioness", "environment": "savanna", "video_prompt": "looks around",
             "narration": "She watches the plain."},
            {"id": "scene-03", "character": "lioness", "environment": "savanna", "video_prompt": "lies down",
             "sound_effect": "distant birds"}
          ]
        }
        """;

    public const int ThreeScenesJobs = 13;

    /// <summary>Two images and one narrated 5-second scene with an effect: 7 jobs, the quickest whole video.</summary>
    public const string OneScene = """
        {
          "title": "Lions at dawn",
          "description": "A one-scene test film.",
          "tags": ["lions", "test"],
          "assets": [
            {"id": "lioness", "kind": "character", "prompt": "a lioness, side view"},
            {"id": "savanna", "kind": "environment", "prompt": "golden savanna at dawn"}
          ],
          "scenes": [
            {"id": "scene-01", "character": "lioness", "environment": "savanna", "video_prompt": "walks slowly",
             "narration": "At dawn, the pride wakes.", "sound_effect": "wind in dry grass"}
          ]
        }
        """;
}
