namespace Pipeline.Tests.Scripts;

/// <summary>One stream as ffprobe sees it; zero for what does not apply (an audio stream's width).</summary>
public sealed record MediaStream(
    string CodecType,
    string CodecName,
    int Width,
    int Height,
    string PixelFormat,
    string FrameRate,
    int SampleRate,
    int Channels,
    double Duration);
