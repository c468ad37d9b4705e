using Xunit.Sdk;

namespace Pipeline.Tests.Scripts;

/// <summary>What ffprobe says about a media file.</summary>
public sealed record MediaInfo(string FormatName, double Duration, IReadOnlyList<MediaStream> Streams)
{
    public MediaStream Video => Single("video");

    public MediaStream Audio => Single("audio");

    public bool Has(string codecType) => Streams.Any(s => s.CodecType == codecType);

    private MediaStream Single(string codecType) =>
        Streams.SingleOrDefault(s => s.CodecType == codecType)
        ?? throw new XunitException($"Expected one {codecType} stream, found: {string.Join(", ", Streams)}");
}
