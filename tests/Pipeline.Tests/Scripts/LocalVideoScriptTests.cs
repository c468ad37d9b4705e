using Pipeline.Tests.Fakes;

namespace Pipeline.Tests.Scripts;

public sealed class LocalVideoScriptTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Generate_video_pans_over_the_image_for_exactly_the_duration_as_1080p_h264_at_30_fps()
    {
        var image = _dir.File("composites/scene-01.png");
        (await StepScript.RunAsync("generate_asset", "--prompt", "a lion on a rock", "--output", image)).Expect(0);
        var output = _dir.File("videos/scene-01.mp4");

        var result = (await StepScript.RunAsync("generate_video", "--image", image, "--prompt", "the lion looks around",
            "--output", output, "--duration", "5")).Expect(0);

        Assert.Equal((output, 0.0), (result.Output, result.Cost));
        var info = await MediaProbe.ReadAsync(output);
        Assert.Equal(("h264", 1920, 1080, "yuv420p", "30/1"),
            (info.Video.CodecName, info.Video.Width, info.Video.Height, info.Video.PixelFormat, info.Video.FrameRate));
        Assert.Equal(5.0, info.Duration, 0.05);
        Assert.Equal(5.0, result.Json.GetProperty("duration_seconds").GetDouble(), 0.05);
        Assert.False(info.Has("audio"));
    }

    [Fact]
    public async Task Generate_video_accepts_an_image_of_any_size()
    {
        var image = _dir.Write("small.png", SampleMedia.Png);

        (await StepScript.RunAsync("generate_video", "--image", image, "--prompt", "p", "--output", _dir.File("v.mp4"))).Expect(0);

        var video = (await MediaProbe.ReadAsync(_dir.File("v.mp4"))).Video;
        Assert.Equal((1920, 1080), (video.Width, video.Height));
    }

    [Theory]
    [InlineData("7")]
    [InlineData("0")]
    [InlineData("five")]
    public async Task Generate_video_takes_only_5_or_10_seconds(string duration)
    {
        var image = _dir.Write("i.png", SampleMedia.Png);

        var result = (await StepScript.RunAsync("generate_video", "--image", image, "--prompt", "p",
            "--output", _dir.File("v.mp4"), "--duration", duration)).Expect(2);

        Assert.Contains("--duration", result.Error);
        Assert.False(File.Exists(_dir.File("v.mp4")));
    }

    [Fact]
    public async Task Generate_video_rejects_a_missing_image()
    {
        var result = (await StepScript.RunAsync("generate_video", "--image", _dir.File("none.png"), "--prompt", "p",
            "--output", _dir.File("v.mp4"))).Expect(2);

        Assert.Contains("none.png", result.Error);
    }

    public void Dispose() => _dir.Dispose();
}
