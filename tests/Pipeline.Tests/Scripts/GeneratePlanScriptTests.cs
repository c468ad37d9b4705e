using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Tests.Fakes;

namespace Pipeline.Tests.Scripts;

public sealed partial class GeneratePlanScriptTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Local_writes_a_template_plan_of_the_asked_scenes_that_follows_the_schema()
    {
        var output = _dir.File("task/plan.json");

        var result = (await StepScript.RunAsync("generate_plan", "--title", "Lions of the Serengeti", "--topic", "A lion pride",
            "--story-direction", "A cub is born. She learns to hunt! She leads the pride.", "--scenes", "4", "--output", output)).Expect(0);

        Assert.Equal(("local", 0.0, 4),
            (result.Json.GetProperty("provider").GetString(), result.Cost, result.Json.GetProperty("scenes").GetInt32()));
        var plan = ReadPlan(output);
        AssertFollowsSchema(plan);
        Assert.Equal("Lions of the Serengeti", plan.GetProperty("title").GetString());
        var narrations = plan.GetProperty("scenes").EnumerateArray().Select(s => s.GetProperty("narration").GetString()).ToList();
        Assert.Equal(["A cub is born.", "She learns to hunt!", "She leads the pride."], narrations.Take(3));
        Assert.Equal(4, narrations.Count);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("41")]
    [InlineData("three")]
    public async Task The_scene_count_must_be_1_to_40(string scenes)
    {
        var result = (await StepScript.RunAsync("generate_plan", "--title", "T", "--scenes", scenes, "--output", _dir.File("plan.json"))).Expect(2);

        Assert.Contains("--scenes", result.Error);
    }

    [Fact]
    public async Task Real_asks_gemini_for_json_and_writes_the_checked_plan()
    {
        await using var gemini = new FakeGemini();
        var output = _dir.File("plan.json");

        var result = (await StepScript.RunAsync("generate_plan",
            ["--title", "Lions", "--topic", "Big cats", "--scenes", "2", "--output", output], gemini.Environment)).Expect(0);

        Assert.Equal("real", result.Json.GetProperty("provider").GetString());
        Assert.True(result.Cost > 0);
        AssertFollowsSchema(ReadPlan(output));
        var request = Assert.Single(gemini.Requests);
        Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", request.Path);
        Assert.Equal(FakeGemini.Key, request.Header("x-goog-api-key"));
        var body = request.Json();
        Assert.Equal("application/json", body.GetProperty("generationConfig").GetProperty("responseMimeType").GetString());
        var prompt = body.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString();
        Assert.Contains("Lions", prompt);
        Assert.Contains("Big cats", prompt);
        Assert.Contains("2 scenes", prompt);
    }

    [Fact]
    public async Task Real_fails_retryably_when_gemini_writes_a_plan_that_breaks_the_schema()
    {
        await using var gemini = new FakeGemini
        {
            PlanJson = FakeGemini.ValidPlanJson.Replace("\"environment\": \"savanna\"", "\"environment\": \"jungle\"", StringComparison.Ordinal),
        };

        var result = await StepScript.RunAsync("generate_plan", ["--title", "Lions", "--output", _dir.File("plan.json")], gemini.Environment);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("jungle", result.Error);
        Assert.Empty(_dir.Files());
    }

    [Fact]
    public async Task Real_is_transient_when_gemini_is_rate_limited()
    {
        await using var gemini = new FakeGemini();
        gemini.FailNext(429, "Resource has been exhausted", retryAfter: "30");

        var result = (await StepScript.RunAsync("generate_plan",
            ["--title", "Lions", "--output", _dir.File("plan.json")], gemini.Environment)).Expect(75);

        Assert.Equal(30, result.RetryAfterSeconds);
    }

    private static JsonElement ReadPlan(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    /// <summary>The plan.json schema of the scripts contract.</summary>
    private static void AssertFollowsSchema(JsonElement plan)
    {
        Assert.False(string.IsNullOrWhiteSpace(plan.GetProperty("title").GetString()));
        var kinds = new Dictionary<string, string>();
        foreach (var asset in plan.GetProperty("assets").EnumerateArray())
        {
            var id = asset.GetProperty("id").GetString()!;
            Assert.Matches(Id(), id);
            Assert.Contains(asset.GetProperty("kind").GetString(), new[] { "character", "environment" });
            Assert.False(string.IsNullOrWhiteSpace(asset.GetProperty("prompt").GetString()));
            Assert.True(kinds.TryAdd(id, asset.GetProperty("kind").GetString()!), $"asset id {id} used twice");
        }

        var scenes = plan.GetProperty("scenes").EnumerateArray().ToList();
        Assert.NotEmpty(scenes);
        foreach (var scene in scenes)
        {
            Assert.Matches(Id(), scene.GetProperty("id").GetString()!);
            Assert.Equal("character", kinds[scene.GetProperty("character").GetString()!]);
            Assert.Equal("environment", kinds[scene.GetProperty("environment").GetString()!]);
            foreach (var field in new[] { "video_prompt", "narration", "sound_effect" })
            {
                Assert.False(string.IsNullOrWhiteSpace(scene.GetProperty(field).GetString()), field);
            }

            Assert.Contains(scene.GetProperty("duration").GetInt32(), new[] { 5, 10 });
        }

        Assert.Equal(scenes.Count, scenes.Select(s => s.GetProperty("id").GetString()).Distinct().Count());
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex Id();

    public void Dispose() => _dir.Dispose();
}
