using Pipeline.Tests.Fakes;

namespace Pipeline.Tests.Scripts;

/// <summary>generate_audio and generate_sound_effects against a fake ElevenLabs.</summary>
public sealed class ElevenLabsScriptTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly FakeElevenLabs _elevenLabs = new();

    [Fact]
    public async Task Generate_audio_sends_text_voice_and_model_and_saves_the_mp3()
    {
        const string text = "Dawn comes to the savanna.";
        var output = _dir.File("audio/scene-01.mp3");

        var result = (await Run("generate_audio",
            "--text", text, "--output", output, "--voice", "voice-123", "--model", "eleven_flash_v2_5")).Expect(0);

        Assert.Equal((output, "real"), (result.Output, result.Json.GetProperty("provider").GetString()));
        Assert.Equal(text.Length * 0.00003, result.Cost, 6);
        var info = await MediaProbe.ReadAsync(output);
        Assert.Equal("mp3", info.Audio.CodecName);
        Assert.Equal(info.Duration, result.Json.GetProperty("duration_seconds").GetDouble(), 0.01);
        var request = Assert.Single(_elevenLabs.Requests);
        Assert.Equal(("POST", "/v1/text-to-speech/voice-123", "mp3_44100_128"), (request.Method, request.Path, request.Query["output_format"]));
        Assert.Equal(FakeElevenLabs.Key, request.Header("xi-api-key"));
        var body = request.Json();
        Assert.Equal((text, "eleven_flash_v2_5"), (body.GetProperty("text").GetString(), body.GetProperty("model_id").GetString()));
        var settings = body.GetProperty("voice_settings");
        Assert.Equal((0.5, 0.75), (settings.GetProperty("stability").GetDouble(), settings.GetProperty("similarity_boost").GetDouble()));
    }

    [Fact]
    public async Task Generate_audio_takes_the_default_voice_from_the_environment()
    {
        var environment = new Dictionary<string, string>(_elevenLabs.Environment) { ["ELEVENLABS_VOICE_ID"] = "channel-voice" };

        (await StepScript.RunAsync("generate_audio", ["--text", "Hi.", "--output", _dir.File("a.mp3")], environment)).Expect(0);

        var request = Assert.Single(_elevenLabs.Requests);
        Assert.Equal("/v1/text-to-speech/channel-voice", request.Path);
        Assert.Equal("eleven_multilingual_v2", request.Json().GetProperty("model_id").GetString());
    }

    [Fact]
    public async Task Generate_sound_effects_sends_text_and_duration_and_pays_by_the_second()
    {
        var output = _dir.File("sfx/scene-01.mp3");

        var result = (await Run("generate_sound_effects", "--text", "wind over grass", "--output", output, "--duration", "2")).Expect(0);

        Assert.Equal(0.0024, result.Cost, 6);
        Assert.True((await MediaProbe.ReadAsync(output)).Has("audio"));
        var request = Assert.Single(_elevenLabs.Requests);
        Assert.Equal("/v1/sound-generation", request.Path);
        Assert.Equal(FakeElevenLabs.Key, request.Header("xi-api-key"));
        var body = request.Json();
        Assert.Equal(("wind over grass", 2.0, 0.3),
            (body.GetProperty("text").GetString(), body.GetProperty("duration_seconds").GetDouble(),
             body.GetProperty("prompt_influence").GetDouble()));
    }

    [Theory]
    [InlineData("generate_audio", 429, "3", 75, 3)]
    [InlineData("generate_sound_effects", 429, null, 75, 5)] // no Retry-After: the script still says when to come back
    [InlineData("generate_audio", 500, null, 75, null)]
    [InlineData("generate_sound_effects", 503, null, 75, null)]
    [InlineData("generate_audio", 402, null, 2, null)]
    [InlineData("generate_sound_effects", 400, null, 2, null)]
    [InlineData("generate_audio", 422, null, 2, null)]
    public async Task Provider_errors_map_to_exit_codes(string script, int status, string? retryAfter, int exitCode, int? retryAfterSeconds)
    {
        _elevenLabs.FailNext(status, "voice trouble", retryAfter);

        var result = (await Run(script, "--text", "t", "--output", _dir.File("a.mp3"))).Expect(exitCode);

        Assert.Equal(retryAfterSeconds, result.RetryAfterSeconds);
        Assert.Contains("voice trouble", result.Error);
        Assert.Empty(_dir.Files());
    }

    [Fact]
    public async Task An_answer_that_is_not_audio_is_a_retryable_failure()
    {
        _elevenLabs.AnswerNext(FakeResponse.Text(200, "<html>maintenance</html>"));

        var result = (await Run("generate_audio", "--text", "t", "--output", _dir.File("a.mp3"))).Expect(1);

        Assert.Contains("not a readable audio", result.Error);
        Assert.Empty(_dir.Files());
    }

    [Theory]
    [InlineData("generate_audio")]
    [InlineData("generate_sound_effects")]
    public async Task Real_without_a_key_is_bad_input(string script)
    {
        var environment = new Dictionary<string, string> { ["ELEVENLABS_BASE_URL"] = _elevenLabs.BaseUrl };

        var result = (await StepScript.RunAsync(script,
            ["--provider", "real", "--text", "t", "--output", _dir.File("a.mp3")], environment)).Expect(2);

        Assert.Contains("ELEVENLABS_API_KEY", result.Error);
        Assert.Empty(_elevenLabs.Requests);
    }

    private Task<ScriptResult> Run(string script, params string[] args) => StepScript.RunAsync(script, args, _elevenLabs.Environment);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _dir.Dispose();
        await _elevenLabs.DisposeAsync();
    }
}
