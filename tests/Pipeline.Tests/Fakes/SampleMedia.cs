using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Fakes;

/// <summary>Small real media files made once per test run with ffmpeg, for fakes to answer with.</summary>
public static class SampleMedia
{
    public const int PngWidth = 64;
    public const int PngHeight = 36;

    private static readonly Lazy<byte[]> LazyPng = new(() => Make("png",
        "-f", "lavfi", "-i", $"color=c=0x3366aa:s={PngWidth}x{PngHeight}:d=1", "-frames:v", "1", "-update", "1"));

    private static readonly Lazy<byte[]> LazyMp4 = new(() => Make("mp4",
        "-f", "lavfi", "-i", "testsrc=s=320x180:r=30:d=1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"));

    private static readonly Lazy<byte[]> LazyMp3 = new(() => Make("mp3",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=1", "-c:a", "libmp3lame", "-b:a", "64k"));

    /// <summary>A 64×36 PNG of one colour.</summary>
    public static byte[] Png => LazyPng.Value;

    /// <summary>A one-second 320×180 H.264 MP4 without audio.</summary>
    public static byte[] Mp4 => LazyMp4.Value;

    /// <summary>A one-second 440 Hz MP3.</summary>
    public static byte[] Mp3 => LazyMp3.Value;

    private static byte[] Make(string extension, params string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pipeline-sample-{Guid.NewGuid():N}.{extension}");
        try
        {
            // Off the test's thread: blocking here must not wait on a context the run needs.
            var result = Task.Run(() => ToolProcess.RunAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. args, path]))
                .GetAwaiter().GetResult();
            return result.ExitCode == 0
                ? File.ReadAllBytes(path)
                : throw new InvalidOperationException($"ffmpeg could not make a sample {extension}: {result.Stderr}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
