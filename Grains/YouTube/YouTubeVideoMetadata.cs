using System.Globalization;
using Pipeline.Grains.Publishing;

namespace Pipeline.Grains.YouTube;

/// <summary>
/// What <c>videos.insert</c> sends about a video, always within YouTube's limits (the same rules the outbox
/// applies, <see cref="VideoMetadata"/>), and always declaring the video AI-made.
/// </summary>
public sealed record YouTubeVideoMetadata
{
    /// <summary>"Pets &amp; Animals", the natural category of a nature documentary.</summary>
    public const string DefaultCategoryId = "15";

    private YouTubeVideoMetadata(string title, string description, IReadOnlyList<string> tags, string categoryId,
        PrivacyStatus privacy, bool madeForKids, DateTimeOffset? publishAt)
    {
        Title = title;
        Description = description;
        Tags = tags;
        CategoryId = categoryId;
        Privacy = privacy;
        MadeForKids = madeForKids;
        PublishAt = publishAt;
    }

    /// <summary>At most 100 characters, no angle brackets, never empty.</summary>
    public string Title { get; }

    /// <summary>At most 5,000 bytes of UTF-8, cut on a character boundary.</summary>
    public string Description { get; }

    /// <summary>At most 500 characters in all, counted as YouTube does.</summary>
    public IReadOnlyList<string> Tags { get; }

    public string CategoryId { get; }

    /// <summary>Private whenever <see cref="PublishAt"/> is set: YouTube publishes a scheduled video itself, at that time.</summary>
    public PrivacyStatus Privacy { get; }

    public bool MadeForKids { get; }

    /// <summary>When YouTube makes the video public; null to publish with <see cref="Privacy"/> at once.</summary>
    public DateTimeOffset? PublishAt { get; }

    /// <summary>Every video this pipeline makes is AI-made: YouTube's disclosure is always on.</summary>
    public bool ContainsSyntheticMedia => true;

    /// <summary>
    /// Metadata cut to YouTube's limits. A scheduled video (<paramref name="publishAt"/>) is uploaded private
    /// and made public by YouTube at that time, whatever <paramref name="privacy"/> says, as YouTube accepts
    /// <c>publishAt</c> only on private videos.
    /// </summary>
    /// <exception cref="ArgumentException">A title empty once cleaned, or a category that is not a number.</exception>
    public static YouTubeVideoMetadata Create(
        string title,
        string? description = null,
        IReadOnlyList<string>? tags = null,
        string categoryId = DefaultCategoryId,
        PrivacyStatus privacy = PrivacyStatus.Private,
        bool madeForKids = false,
        DateTimeOffset? publishAt = null)
    {
        var cleanTitle = VideoMetadata.Title(title ?? "");
        if (cleanTitle.Length == 0)
        {
            throw new ArgumentException("A YouTube video needs a title; this one is empty once angle brackets and spaces are removed.", nameof(title));
        }

        if (string.IsNullOrEmpty(categoryId) || !categoryId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"A YouTube category id is a number (e.g. \"{DefaultCategoryId}\"); '{categoryId}' is not.", nameof(categoryId));
        }

        return new YouTubeVideoMetadata(
            cleanTitle,
            VideoMetadata.Description(description ?? ""),
            VideoMetadata.Tags(tags ?? []),
            categoryId,
            publishAt is null ? privacy : PrivacyStatus.Private,
            madeForKids,
            publishAt?.ToUniversalTime());
    }

    /// <summary>The <c>status.privacyStatus</c> value.</summary>
    public string PrivacyText => Privacy switch
    {
        PrivacyStatus.Public => "public",
        PrivacyStatus.Unlisted => "unlisted",
        _ => "private",
    };

    /// <summary>The <c>status.publishAt</c> value (RFC 3339, UTC), or null.</summary>
    public string? PublishAtText => PublishAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
