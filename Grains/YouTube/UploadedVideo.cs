namespace Pipeline.Grains.YouTube;

/// <summary>A video YouTube accepted: record its id before anything else, so it is never uploaded again.</summary>
public sealed record UploadedVideo(string VideoId)
{
    public Uri Url => new($"https://www.youtube.com/watch?v={Uri.EscapeDataString(VideoId)}");
}
