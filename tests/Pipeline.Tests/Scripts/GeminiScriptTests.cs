using System.Globalization;
using Pipeline.Tests.Fakes;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Scripts;

/// <summary>generate_asset and create_composite against a fake Gemini (generate_plan has its own tests).</summary>
public sealed class GeminiScriptTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly FakeGemini _gemini = new();

    [Fact]
    public async Task Generate_asset_is_real_when_the_key_is_set_and_sends_the_prompt_and_reference_images()
    {
        var reference = _dir.Write("assets/lion.png", SampleMedia.Png);
        var output = _dir.File("assets/lion-2.png");

        var result = (await Run("generate_asset", "--prompt", "The lion, older", "--output", output, "--reference-image", reference)).Expect(0);

        Assert.Equal((output, 0.039, "real"), (result.Output, result.Cost, result.Json.GetProperty("provider").GetString()));
        var image = (await MediaProbe.ReadAsync(output)).Video;
        Assert.Equal(("png", SampleMedia.PngWidth, SampleMedia.PngHeight), (image.CodecName, image.Width, image.Height));
        var request = Assert.Single(_gemini.Requests);
        Assert.Equal(("POST", "/v1beta/models/gemini-2.5-flash-image:generateContent"), (request.Method, request.Path));
        Assert.Equal(FakeGemini.Key, request.Header("x-goog-api-key"));
        var body = request.Json();
        var parts = body.GetProperty("contents")[0].GetProperty("parts");
        Assert.Equal("The lion, older", parts[0].GetProperty("text").GetString());
        Assert.Equal("image/png", parts[1].GetProperty("inlineData").GetProperty("mimeType").GetString());
        Assert.Equal(SampleMedia.Png, Convert.FromBase64String(parts[1].GetProperty("inlineData").GetProperty("data").GetString()!));
        var config = body.GetProperty("generationConfig");
        Assert.Equal("IMAGE", config.GetProperty("responseModalities")[0].GetString());
        Assert.Equal("16:9", config.GetProperty("imageConfig").GetProperty("aspectRatio").GetString());
    }

    [Fact]
    public async Task Generate_asset_asks_for_the_aspect_ratio_of_the_size_and_uses_the_model_from_the_environment()
    {
        var environment = new Dictionary<string, string>(_gemini.Environment) { ["GEMINI_IMAGE_MODEL"] = "imagen-test" };

        (await StepScript.RunAsync("generate_asset", ["--prompt", "p", "--output", _dir.File("a.png"), "--width", "1024", "--height", "1024"],
            environment)).Expect(0);

        var request = Assert.Single(_gemini.Requests);
        Assert.Equal("/v1beta/models/imagen-test:generateContent", request.Path);
        Assert.Equal("1:1", request.Json().GetProperty("generationConfig").GetProperty("imageConfig").GetProperty("aspectRatio").GetString());
    }

    [Fact]
    public async Task Local_is_used_when_asked_even_with_a_key()
    {
        (await Run("generate_asset", "--provider", "local", "--prompt", "p", "--output", _dir.File("a.png"))).Expect(0);

        Assert.Empty(_gemini.Requests);
    }

    [Fact]
    public async Task Create_composite_sends_both_images_and_fits_the_answer_into_1920x1080()
    {
        var character = _dir.Write("assets/lion.png", SampleMedia.Png);
        var environment = _dir.Write("assets/savanna.png", SampleMedia.Png);
        var output = _dir.File("composites/scene-01.png");

        var result = (await Run("create_composite", "--character", character, "--environment", environment, "--output", output)).Expect(0);

        Assert.Equal((output, 0.039), (result.Output, result.Cost));
        var image = (await MediaProbe.ReadAsync(output)).Video;
        Assert.Equal(("png", 1920, 1080), (image.CodecName, image.Width, image.Height));
        var parts = Assert.Single(_gemini.Requests).Json().GetProperty("contents")[0].GetProperty("parts");
        Assert.Equal(3, parts.GetArrayLength());
        Assert.Contains("character", parts[0].GetProperty("text").GetString());
        Assert.True(parts[1].TryGetProperty("inlineData", out _) && parts[2].TryGetProperty("inlineData", out _));
    }

    [Theory]
    [InlineData(429, "7", 75, 7)]
    [InlineData(500, null, 75, null)]
    [InlineData(503, "2", 75, 2)]
    [InlineData(402, null, 2, null)]
    [InlineData(400, null, 2, null)]
    [InlineData(403, null, 2, null)]
    public async Task Provider_errors_map_to_exit_codes(int status, string? retryAfter, int exitCode, int? retryAfterSeconds)
    {
        _gemini.FailNext(status, "something went wrong", retryAfter);

        var result = (await Run("generate_asset", "--prompt", "p", "--output", _dir.File("a.png"))).Expect(exitCode);

        Assert.Equal(retryAfterSeconds, result.RetryAfterSeconds);
        Assert.Contains($"HTTP {status}", result.Error);
        Assert.Contains("something went wrong", result.Error);
        Assert.Equal(0, result.Cost);
        Assert.Empty(_dir.Files());
    }

    [Fact]
    public async Task Create_composite_is_transient_on_a_rate_limit_too()
    {
        var image = _dir.Write("i.png", SampleMedia.Png);
        _gemini.FailNext(429, "Resource has been exhausted", "11");

        var result = (await Run("create_composite", "--character", image, "--environment", image, "--output", _dir.File("c.png"))).Expect(75);

        Assert.Equal(11, result.RetryAfterSeconds);
    }

    [Fact]
    public async Task Retry_after_may_be_an_http_date_or_geminis_retry_delay()
    {
        // A minute ahead: on a loaded machine the script may start many seconds after this line.
        var inAMinute = DateTimeOffset.UtcNow.AddSeconds(60).ToString("R", CultureInfo.InvariantCulture);
        _gemini.FailNext(429, "slow down", inAMinute);
        _gemini.AnswerNext(FakeResponse.Json(new
        {
            error = new
            {
                code = 429,
                message = "Resource has been exhausted",
                status = "RESOURCE_EXHAUSTED",
                details = new[]
                {
                    new Dictionary<string, string> { ["@type"] = "type.googleapis.com/google.rpc.RetryInfo", ["retryDelay"] = "37s" },
                },
            },
        }, 429));

        var byDate = (await Run("generate_asset", "--prompt", "p", "--output", _dir.File("a.png"))).Expect(75);
        var byDelay = (await Run("generate_asset", "--prompt", "p", "--output", _dir.File("a.png"))).Expect(75);

        Assert.InRange(byDate.RetryAfterSeconds ?? -1, 30, 61);
        Assert.Equal(37, byDelay.RetryAfterSeconds);
    }

    [Fact]
    public async Task A_refused_image_is_bad_input_and_an_answer_without_one_a_retryable_failure()
    {
        _gemini.AnswerNext(FakeResponse.Json(new { candidates = new[] { new { finishReason = "IMAGE_SAFETY" } } }));
        _gemini.AnswerNext(FakeResponse.Json(new
        {
            candidates = new[] { new { content = new { parts = new[] { new { text = "Here is a lion!" } } }, finishReason = "STOP" } },
        }));

        var refused = (await Run("generate_asset", "--prompt", "p", "--output", _dir.File("a.png"))).Expect(2);
        var noImage = (await Run("generate_asset", "--prompt", "p", "--output", _dir.File("a.png"))).Expect(1);

        Assert.Contains("IMAGE_SAFETY", refused.Error);
        Assert.Contains("Here is a lion!", noImage.Error);
    }

    [Fact]
    public async Task The_key_is_never_printed_even_when_the_provider_echoes_it()
    {
        _gemini.FailNext(400, $"API key not valid: {FakeGemini.Key}");

        var result = (await Run("generate_asset", "--prompt", "p", "--output", _dir.File("a.png"))).Expect(2);

        Assert.DoesNotContain(FakeGemini.Key, result.Stdout + result.Stderr);
        Assert.Contains("API key not valid", result.Error);
    }

    [Fact]
    public async Task A_wrong_key_is_bad_input()
    {
        var environment = new Dictionary<string, string>(_gemini.Environment) { ["GEMINI_API_KEY"] = "wrong" };

        var result = (await StepScript.RunAsync("generate_asset", ["--prompt", "p", "--output", _dir.File("a.png")], environment)).Expect(2);

        Assert.Contains("HTTP 401", result.Error);
    }

    [Fact]
    public async Task Real_without_a_key_is_bad_input_and_calls_nobody()
    {
        var environment = new Dictionary<string, string> { ["GEMINI_BASE_URL"] = _gemini.BaseUrl };

        var asset = (await StepScript.RunAsync("generate_asset",
            ["--provider", "real", "--prompt", "p", "--output", _dir.File("a.png")], environment)).Expect(2);

        Assert.Contains("GEMINI_API_KEY", asset.Error);
        Assert.Empty(_gemini.Requests);
    }

    [Fact]
    public async Task An_unreachable_provider_is_transient()
    {
        var environment = new Dictionary<string, string>(_gemini.Environment) { ["GEMINI_BASE_URL"] = $"http://127.0.0.1:{FreePort.Next()}" };

        (await StepScript.RunAsync("generate_asset", ["--prompt", "p", "--output", _dir.File("a.png")], environment)).Expect(75);
    }

    private Task<ScriptResult> Run(string script, params string[] args) => StepScript.RunAsync(script, args, _gemini.Environment);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _dir.Dispose();
        await _gemini.DisposeAsync();
    }
}
