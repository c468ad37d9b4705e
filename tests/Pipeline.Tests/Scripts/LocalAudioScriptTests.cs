namespace Pipeline.Tests.Scripts;

public sealed class LocalAudioScriptTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Generate_audio_speaks_the_text_into_a_44_1_khz_mp3()
    {
        var output = _dir.File("audio/scene-01.mp3");

        // A leading dash must be spoken, not taken for an espeak-ng option.
        var result = (await StepScript.RunAsync("generate_audio", "--text", "-One lion, two lions. The pride wakes at dawn.",
            "--output", output, "--voice", "some-elevenlabs-voice")).Expect(0);

        Assert.Equal((output, 0.0), (result.Output, result.Cost));
        var info = await MediaProbe.ReadAsync(output);
        Assert.Equal(("mp3", 44100), (info.Audio.CodecName, info.Audio.SampleRate));
        Assert.InRange(info.Duration, 1.5, 10);
        Assert.Equal(info.Duration, result.Json.GetProperty("duration_seconds").GetDouble(), 0.01);
    }

    [Fact]
    public async Task Generate_audio_rejects_empty_text()
    {
        (await StepScript.RunAsync("generate_audio", "--text", " ", "--output", _dir.File("a.mp3"))).Expect(2);
        (await StepScript.RunAsync("generate_audio", "--output", _dir.File("a.mp3"))).Expect(2);

        Assert.Empty(_dir.Files());
    }

    [Fact]
    public async Task Generate_sound_effects_makes_an_mp3_of_exactly_the_duration()
    {
        var output = _dir.File("sfx/scene-01.mp3");

        var result = (await StepScript.RunAsync("generate_sound_effects", "--text", "wind over dry grass",
            "--output", output, "--duration", "1.5")).Expect(0);

        Assert.Equal((output, 0.0), (result.Output, result.Cost));
        var info = await MediaProbe.ReadAsync(output);
        Assert.Equal("mp3", info.Audio.CodecName);
        // MP3 frames are 26 ms; the encoder's padding adds up to two of them.
        Assert.Equal(1.5, info.Duration, 0.07);
    }

    [Theory]
    [InlineData("0.2")]
    [InlineData("31")]
    [InlineData("long")]
    public async Task Generate_sound_effects_takes_half_a_second_to_thirty(string duration)
    {
        var result = (await StepScript.RunAsync("generate_sound_effects", "--text", "wind",
            "--output", _dir.File("s.mp3"), "--duration", duration)).Expect(2);

        Assert.Contains("--duration", result.Error);
    }

    public void Dispose() => _dir.Dispose();
}
