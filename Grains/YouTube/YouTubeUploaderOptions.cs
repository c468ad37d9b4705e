using System.Globalization;
using Google.Apis.Upload;
using Microsoft.Extensions.Configuration;

namespace Pipeline.Grains.YouTube;

/// <summary>Where and how videos are uploaded.</summary>
/// <param name="Endpoint">The <c>videos.insert</c> upload URL (YOUTUBE_UPLOAD_BASE_URL).</param>
public sealed record YouTubeUploaderOptions(Uri Endpoint)
{
    public static readonly Uri DefaultEndpoint = new("https://www.googleapis.com/upload/youtube/v3/videos");

    /// <summary>Bytes per PUT: a multiple of 256 KiB (Google's rule for every chunk but the last).</summary>
    public int ChunkSize { get; init; } = ResumableUpload.DefaultChunkSize;

    /// <summary>Whether a 503 is retried in place with Google.Apis' exponential back-off (tests turn it off to stay fast).</summary>
    public bool BackOffOnServerErrors { get; init; } = true;

    /// <summary>How long one request (one chunk) may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>YOUTUBE_UPLOAD_BASE_URL (default Google's) and YOUTUBE_UPLOAD_CHUNK_BYTES (default 10 MiB).</summary>
    public static YouTubeUploaderOptions From(IConfiguration configuration)
    {
        var endpoint = DefaultEndpoint;
        if (configuration["YOUTUBE_UPLOAD_BASE_URL"] is { Length: > 0 } text
            && !(Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out endpoint!) && endpoint.Scheme is "http" or "https"))
        {
            throw new InvalidOperationException($"YOUTUBE_UPLOAD_BASE_URL must be the absolute http(s) URL of videos.insert's upload; '{text}' is not.");
        }

        var options = new YouTubeUploaderOptions(endpoint);
        return configuration["YOUTUBE_UPLOAD_CHUNK_BYTES"] switch
        {
            null or "" => options,
            var size when int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
                && bytes >= ResumableUpload.MinimumChunkSize && bytes % ResumableUpload.MinimumChunkSize == 0 => options with { ChunkSize = bytes },
            var size => throw new InvalidOperationException(
                $"YOUTUBE_UPLOAD_CHUNK_BYTES must be a multiple of {ResumableUpload.MinimumChunkSize} (256 KiB); '{size}' is not."),
        };
    }
}
