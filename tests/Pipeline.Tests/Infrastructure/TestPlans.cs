using System.Text.Json;

namespace Pipeline.Tests.Infrastructure;

/// <summary>Plans for workflow tests, whose steps are scripted: only the item ids matter (rejections name them).</summary>
public static class TestPlans
{
    /// <summary>Assets "bear" and "river"; scenes "scene-1" and "scene-2".</summary>
    public static JsonElement BearAndRiver { get; } = JsonDocument.Parse("""
        {"assets": [{"id": "bear", "kind": "character", "prompt": "a bear"}, {"id": "river", "kind": "environment", "prompt": "a river"}],
         "scenes": [{"id": "scene-1", "character": "bear", "environment": "river", "video_prompt": "fishes"},
                    {"id": "scene-2", "character": "bear", "environment": "river", "video_prompt": "eats"}]}
        """).RootElement;
}
