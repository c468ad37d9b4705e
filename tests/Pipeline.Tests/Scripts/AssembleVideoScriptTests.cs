using System.Text.Json;
using Pipeline.Tests.Fakes;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Scripts;

public sealed class AssembleVideoScriptTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Each_scene_lasts_its_narration_and_the_whole_is_1080p_h264_with_aac_stereo()
    {
        // Scene 1: a 5 s clip cut to a short narration, with an effect under it.
        // Scene 2: a 1 s clip under a longer narration, so its last frame is held.
        await MakeClip("videos/scene-01.mp4", seconds: 5);
        _dir.Write("videos/scene-02.mp4", SampleMedia.Mp4);
        var first = await Narrate("audio/scene-01.mp3", "Dawn on the savanna.");
        var second = await Narrate("audio/scene-02.mp3", "The young lion sets out across the plain, looking for the rest of the pride.");
        (await StepScript.RunAsync("generate_sound_effects",
            "--text", "birds", "--output", _dir.File("sfx/scene-01.mp3"), "--duration", "3")).Expect(0);
        var manifest = WriteManifest(new
        {
            scenes = new object[]
            {
                new { id = "scene-01", clip = "videos/scene-01.mp4", narration = "audio/scene-01.mp3", sfx = "sfx/scene-01.mp3" },
                new { id = "scene-02", clip = "videos/scene-02.mp4", narration = "audio/scene-02.mp3" },
            },
            sfx_volume = 0.3,
        });
        Assert.True(second > 1.5, $"the second narration ({second} s) must outlast its 1 s clip");
        var output = _dir.File("final/video.mp4");

        var result = (await StepScript.RunAsync("assemble_video", "--manifest", manifest, "--output", output)).Expect(0);

        var info = await MediaProbe.ReadAsync(output);
        Assert.Equal(("h264", 1920, 1080, "yuv420p"), (info.Video.CodecName, info.Video.Width, info.Video.Height, info.Video.PixelFormat));
        Assert.Equal(("aac", 2), (info.Audio.CodecName, info.Audio.Channels));
        Assert.Contains(info.Audio.SampleRate, new[] { 44100, 48000 });
        Assert.Equal(first + second, info.Duration, 0.5);
        // The picture lasts as long as the sound: the short clip's last frame was held.
        Assert.Equal(first + second, info.Video.Duration, 0.5);
        Assert.Equal((output, 0.0), (result.Output, result.Cost));
        Assert.Equal(info.Duration, result.Json.GetProperty("duration_seconds").GetDouble(), 0.1);
        var scenes = result.Json.GetProperty("scenes").EnumerateArray()
            .Select(s => (s.GetProperty("id").GetString(), s.GetProperty("duration_seconds").GetDouble())).ToList();
        Assert.Equal(["scene-01", "scene-02"], scenes.Select(s => s.Item1));
        Assert.Equal(first, scenes[0].Item2, 0.01);
        Assert.Equal(second, scenes[1].Item2, 0.01);
    }

    [Fact]
    public async Task A_scene_without_narration_keeps_its_clip_length_and_absolute_paths_work()
    {
        var clip = _dir.Write("elsewhere/clip.mp4", SampleMedia.Mp4);
        _dir.Write("videos/scene-02.mp4", SampleMedia.Mp4);
        var narration = await Narrate("audio/scene-02.mp3", "And so it ends.");
        var manifest = WriteManifest(new
        {
            scenes = new object[]
            {
                new { id = "scene-01", clip },
                new { id = "scene-02", clip = "videos/scene-02.mp4", narration = "audio/scene-02.mp3" },
            },
        });

        var result = (await StepScript.RunAsync("assemble_video", "--manifest", manifest, "--output", _dir.File("final.mp4"))).Expect(0);

        var info = await MediaProbe.ReadAsync(_dir.File("final.mp4"));
        Assert.Equal(1.0 + narration, info.Duration, 0.5);
        Assert.Equal(1.0, result.Json.GetProperty("scenes")[0].GetProperty("duration_seconds").GetDouble(), 0.05);
    }

    public static TheoryData<string, string> BadManifests => new()
    {
        { "{\"scenes\": [", "not JSON" },
        { "[]", "scenes" },
        { "{\"scenes\": []}", "scenes" },
        { "{\"scenes\": [{\"clip\": \"clip.mp4\"}]}", "no id" },
        { "{\"scenes\": [{\"id\": \"scene-01\"}]}", "clip" },
        { "{\"scenes\": [{\"id\": \"scene-01\", \"clip\": \"videos/missing.mp4\"}]}", "missing.mp4" },
        { "{\"scenes\": [{\"id\": \"scene-01\", \"clip\": \"clip.mp4\", \"narration\": \"audio/none.mp3\"}]}", "none.mp3" },
        { "{\"scenes\": [{\"id\": \"scene-01\", \"clip\": \"notes.txt\"}]}", "notes.txt" },
        { "{\"scenes\": [{\"id\": \"scene-01\", \"clip\": \"clip.mp4\"}], \"sfx_volume\": \"loud\"}", "sfx_volume" },
    };

    [Theory]
    [MemberData(nameof(BadManifests))]
    public async Task A_bad_manifest_is_bad_input_with_the_reason(string manifest, string reason)
    {
        _dir.Write("clip.mp4", SampleMedia.Mp4);
        _dir.Write("notes.txt", "not a video");
        var path = _dir.Write("manifest.json", manifest);

        var result = (await StepScript.RunAsync("assemble_video", "--manifest", path, "--output", _dir.File("final.mp4"))).Expect(2);

        Assert.Contains(reason, result.Error);
        Assert.False(File.Exists(_dir.File("final.mp4")));
    }

    [Fact]
    public async Task A_missing_manifest_is_bad_input()
    {
        var result = (await StepScript.RunAsync("assemble_video", "--manifest", _dir.File("nope.json"), "--output", _dir.File("f.mp4"))).Expect(2);

        Assert.Contains("nope.json", result.Error);
    }

    private async Task<double> Narrate(string relative, string text)
    {
        var result = (await StepScript.RunAsync("generate_audio", "--text", text, "--output", _dir.File(relative))).Expect(0);
        return (await MediaProbe.ReadAsync(result.Output)).Duration;
    }

    /// <summary>A small clip, of another size and frame rate than the output's.</summary>
    private async Task MakeClip(string relative, int seconds)
    {
        var path = _dir.File(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var made = await ToolProcess.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi",
            "-i", $"testsrc=s=480x270:r=25:d={seconds}", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path]);
        Assert.True(made.ExitCode == 0, made.Stderr);
    }

    private string WriteManifest(object manifest) => _dir.Write("manifest.json", JsonSerializer.Serialize(manifest));

    public void Dispose() => _dir.Dispose();
}
