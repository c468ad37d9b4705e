using Pipeline.Grains.Abstractions.Plans;
using Xunit;

namespace Pipeline.Workflow.Tests.Plans;

public sealed class PlanReaderTests
{
    private const string Valid = """
        {
          "title": "Lions", "tags": ["lions", "cats"],
          "assets": [
            {"id": "lioness", "kind": "character", "prompt": "a lioness"},
            {"id": "savanna", "kind": "environment", "prompt": "the savanna"}
          ],
          "scenes": [
            {"id": "scene-01", "character": "lioness", "environment": "savanna", "video_prompt": "walks",
             "narration": "At dawn.", "sound_effect": "wind", "duration": 10},
            {"id": "scene-02", "character": "lioness", "environment": "savanna", "video_prompt": "rests"}
          ]
        }
        """;

    [Fact]
    public void A_valid_plan_is_read_whole()
    {
        var result = PlanReader.Read(Valid);

        Assert.Empty(result.Errors);
        var plan = result.Plan!;
        Assert.Equal(("Lions", 2, 2), (plan.Title, plan.Assets.Count, plan.Scenes.Count));
        Assert.Equal(PlanAssetKind.Environment, plan.Assets[1].Kind);
        Assert.Equal(new PlanScene("scene-01", "lioness", "savanna", "walks", "At dawn.", "wind", 10), plan.Scenes[0]);
        Assert.Equal((null, null, 5), (plan.Scenes[1].Narration, plan.Scenes[1].SoundEffect, plan.Scenes[1].DurationSeconds));
        Assert.Equal(["lions", "cats"], plan.Tags);
    }

    [Theory]
    [InlineData("not json", "", "not valid JSON")]
    [InlineData("[1]", "", "a plan is a JSON object (got a list of 1)")]
    [InlineData("""{"scenes": []}""", "assets", "required")]
    [InlineData("""{"assets": [], "scenes": []}""", "assets", "must be a list of 1 to 100 objects (got a list of 0)")]
    public void A_plan_of_the_wrong_shape_says_where(string json, string path, string message)
    {
        var result = PlanReader.Read(json);

        Assert.Null(result.Plan);
        Assert.Contains(result.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_error_is_named_by_its_field_at_once()
    {
        var result = PlanReader.Read("""
            {
              "naration": "typo",
              "assets": [
                {"id": "Lion!", "kind": "animal", "prompt": ""},
                {"id": "sky", "kind": "environment", "prompt": "sky"},
                {"id": "sky", "kind": "environment", "prompt": "sky again"},
                "not an object"
              ],
              "scenes": [
                {"id": "s1", "character": "bear", "environment": "sky", "video_prompt": "x", "duration": 7},
                {"id": "s2", "character": "sky", "environment": "sky", "video_prompt": 3, "extra": true}
              ]
            }
            """);

        Assert.Null(result.Plan);
        var errors = result.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("naration: unknown field", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("assets[0].id: \"Lion!\" is not an id", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("assets[0].kind: must be \"character\" or \"environment\"", StringComparison.Ordinal));
        Assert.Contains("assets[0].prompt: must be 1 to 5000 characters (got 0)", errors);
        Assert.Contains(errors, e => e.StartsWith("assets: the id \"sky\" is used 2 times", StringComparison.Ordinal));
        Assert.Contains("assets[3]: must be an object (got a string)", errors);
        Assert.Contains("scenes[0].character: \"bear\" is not the id of an asset", errors);
        Assert.Contains("scenes[0].duration: must be 5 or 10 (seconds; got 7)", errors);
        Assert.Contains("scenes[1].character: \"sky\" is an environment, not a character", errors);
        Assert.Contains("scenes[1].video_prompt: must be a string (got a number)", errors);
        Assert.Contains(errors, e => e.StartsWith("scenes[1].extra: unknown field", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("scene-01", true)]
    [InlineData("0", true)]
    [InlineData("-lead", false)]
    [InlineData("../etc", false)]
    [InlineData("UPPER", false)]
    [InlineData("a/b", false)]
    [InlineData("ok\n", false)]
    public void Ids_are_safe_file_names(string id, bool valid) => Assert.Equal(valid, PlanReader.IsValidId(id));
}
