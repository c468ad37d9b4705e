using Newtonsoft.Json;

namespace Pipeline.Grains.YouTube;

/// <summary>
/// The part of YouTube's video resource that an upload sends and reads back. Google.Apis serializes with
/// Newtonsoft.Json, hence its attributes; null members are left out.
/// </summary>
internal sealed class VideoResource
{
    [JsonProperty("id")]
    public string? Id { get; set; }

    [JsonProperty("snippet")]
    public VideoSnippet? Snippet { get; set; }

    [JsonProperty("status")]
    public VideoStatus? Status { get; set; }

    public static VideoResource From(YouTubeVideoMetadata metadata) => new()
    {
        Snippet = new VideoSnippet
        {
            Title = metadata.Title,
            Description = metadata.Description,
            Tags = metadata.Tags.Count > 0 ? [.. metadata.Tags] : null,
            CategoryId = metadata.CategoryId,
        },
        Status = new VideoStatus
        {
            PrivacyStatus = metadata.PrivacyText,
            PublishAt = metadata.PublishAtText,
            SelfDeclaredMadeForKids = metadata.MadeForKids,
            ContainsSyntheticMedia = metadata.ContainsSyntheticMedia,
        },
    };
}

internal sealed class VideoSnippet
{
    [JsonProperty("title")]
    public string? Title { get; set; }

    [JsonProperty("description")]
    public string? Description { get; set; }

    [JsonProperty("tags")]
    public List<string>? Tags { get; set; }

    [JsonProperty("categoryId")]
    public string? CategoryId { get; set; }
}

internal sealed class VideoStatus
{
    [JsonProperty("privacyStatus")]
    public string? PrivacyStatus { get; set; }

    [JsonProperty("publishAt")]
    public string? PublishAt { get; set; }

    [JsonProperty("selfDeclaredMadeForKids")]
    public bool? SelfDeclaredMadeForKids { get; set; }

    [JsonProperty("containsSyntheticMedia")]
    public bool? ContainsSyntheticMedia { get; set; }
}
