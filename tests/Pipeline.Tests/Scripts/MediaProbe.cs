using System.Globalization;
using System.Text.Json;
using Pipeline.Tests.Infrastructure;
using Xunit.Sdk;

namespace Pipeline.Tests.Scripts;

/// <summary>Runs ffprobe, so tests check the media the scripts make with the same tool a person would.</summary>
public static class MediaProbe
{
    public static async Task<MediaInfo> ReadAsync(string path)
    {
        var result = await ToolProcess.RunAsync(
            "ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path]);
        if (result.ExitCode != 0)
        {
            throw new XunitException($"ffprobe cannot read {path}: {result.Stderr}");
        }

        using var document = JsonDocument.Parse(result.Stdout);
        var root = document.RootElement;
        var format = root.GetProperty("format");
        var streams = root.GetProperty("streams").EnumerateArray().Select(s => new MediaStream(
            Text(s, "codec_type"),
            Text(s, "codec_name"),
            Number(s, "width"),
            Number(s, "height"),
            Text(s, "pix_fmt"),
            Text(s, "r_frame_rate"),
            (int)Decimal(s, "sample_rate"),
            Number(s, "channels"),
            Decimal(s, "duration"))).ToList();
        return new MediaInfo(Text(format, "format_name"), Decimal(format, "duration"), streams);
    }

    /// <summary>The colour of one pixel of an image (or of a video's first frame).</summary>
    public static async Task<(byte R, byte G, byte B)> PixelAsync(string path, int x, int y)
    {
        var raw = Path.Combine(Path.GetTempPath(), $"pipeline-pixel-{Guid.NewGuid():N}.rgb");
        try
        {
            var result = await ToolProcess.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-i", path,
                "-vf", $"crop=1:1:{x}:{y}", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", raw]);
            if (result.ExitCode != 0)
            {
                throw new XunitException($"ffmpeg cannot read a pixel of {path}: {result.Stderr}");
            }

            var rgb = await File.ReadAllBytesAsync(raw);
            return (rgb[0], rgb[1], rgb[2]);
        }
        finally
        {
            File.Delete(raw);
        }
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";

    private static int Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? value.GetInt32() : 0;

    // ffprobe writes durations and sample rates as strings.
    private static double Decimal(JsonElement e, string name) =>
        double.TryParse(Text(e, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
