using Pipeline.Tests.Fakes;

namespace Pipeline.Tests.Scripts;

public sealed class LocalImageScriptTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Generate_asset_draws_the_prompt_on_a_1920x1080_png_by_default()
    {
        var output = _dir.File("assets/new/savanna.png");

        var result = (await StepScript.RunAsync("generate_asset", "--prompt", "The savanna at dawn: 100% 'golden'", "--output", output))
            .Expect(0);

        Assert.Equal(output, result.Output);
        Assert.Equal(("local", 0.0, 1920, 1080),
            (result.Json.GetProperty("provider").GetString(), result.Cost,
             result.Json.GetProperty("width").GetInt32(), result.Json.GetProperty("height").GetInt32()));
        var image = (await MediaProbe.ReadAsync(output)).Video;
        Assert.Equal(("png", 1920, 1080), (image.CodecName, image.Width, image.Height));
        // Only the final file: the partial one was renamed.
        Assert.Equal(["assets/new/savanna.png"], _dir.Files());
    }

    [Fact]
    public async Task Generate_asset_makes_the_requested_size_and_accepts_reference_images()
    {
        var reference = _dir.Write("ref.png", SampleMedia.Png);
        var output = _dir.File("lion.png");

        (await StepScript.RunAsync("generate_asset", "--prompt", "A young lion", "--output", output,
            "--width", "1024", "--height", "1024", "--reference-image", reference)).Expect(0);

        var image = (await MediaProbe.ReadAsync(output)).Video;
        Assert.Equal(("png", 1024, 1024), (image.CodecName, image.Width, image.Height));
    }

    [Theory]
    [InlineData("--width", "0")]
    [InlineData("--width", "wide")]
    [InlineData("--height", "5000")]
    [InlineData("--prompt", "  ")]
    public async Task Generate_asset_rejects_bad_arguments(string flag, string value)
    {
        var args = new List<string> { "--prompt", "x", "--output", _dir.File("x.png") };
        args.AddRange([flag, value]);

        var result = (await StepScript.RunAsync("generate_asset", args)).Expect(2);

        Assert.Contains(flag.TrimStart('-'), result.Error);
        Assert.Empty(_dir.Files());
    }

    [Fact]
    public async Task Generate_asset_rejects_a_missing_reference_image()
    {
        var result = (await StepScript.RunAsync("generate_asset", "--prompt", "x", "--output", _dir.File("x.png"),
            "--reference-image", _dir.File("missing.png"))).Expect(2);

        Assert.Contains("missing.png", result.Error);
    }

    [Fact]
    public async Task Create_composite_puts_the_character_on_the_environment_in_a_1920x1080_png()
    {
        var character = _dir.Write("assets/lion.png", SampleMedia.Png);
        var environment = _dir.File("assets/savanna.png");
        // An environment of another shape: it is scaled and cropped to fill the frame.
        (await StepScript.RunAsync("generate_asset",
            "--prompt", "savanna", "--output", environment, "--width", "800", "--height", "800")).Expect(0);
        var output = _dir.File("composites/scene-01.png");

        var result = (await StepScript.RunAsync("create_composite", "--character", character, "--environment", environment,
            "--output", output, "--scale", "0.6")).Expect(0);

        Assert.Equal((output, 0.0), (result.Output, result.Cost));
        var image = (await MediaProbe.ReadAsync(output)).Video;
        Assert.Equal(("png", 1920, 1080), (image.CodecName, image.Width, image.Height));
        // The character (the sample's one colour) stands centred at the bottom, 60% of the frame tall.
        var colour = await MediaProbe.PixelAsync(character, 0, 0);
        Assert.True(Near(colour, await MediaProbe.PixelAsync(output, 960, 1075)));
        Assert.True(Near(colour, await MediaProbe.PixelAsync(output, 960, 1080 - 640)));
        Assert.False(Near(colour, await MediaProbe.PixelAsync(output, 960, 1080 - 660)));
        Assert.False(Near(colour, await MediaProbe.PixelAsync(output, 100, 1075)));
    }

    [Fact]
    public async Task Create_composite_rejects_missing_or_unreadable_images_and_a_bad_scale()
    {
        var image = _dir.Write("ok.png", SampleMedia.Png);
        var text = _dir.Write("notes.png", "not an image");
        var output = _dir.File("out.png");

        var missing = (await Composite("--character", _dir.File("gone.png"), "--environment", image, "--output", output)).Expect(2);
        var unreadable = (await Composite("--character", image, "--environment", text, "--output", output)).Expect(2);
        var scale = (await Composite("--character", image, "--environment", image, "--output", output, "--scale", "3")).Expect(2);

        Assert.Contains("gone.png", missing.Error);
        Assert.Contains("notes.png", unreadable.Error);
        Assert.Contains("--scale", scale.Error);
        Assert.False(File.Exists(output));
    }

    private static bool Near((byte R, byte G, byte B) a, (byte R, byte G, byte B) b) =>
        Math.Abs(a.R - b.R) <= 6 && Math.Abs(a.G - b.G) <= 6 && Math.Abs(a.B - b.B) <= 6;

    private static Task<ScriptResult> Composite(params string[] args) => StepScript.RunAsync("create_composite", args);

    public void Dispose() => _dir.Dispose();
}
