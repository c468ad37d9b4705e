using System.Text;
using Pipeline.Grains.YouTube;

namespace Pipeline.Tests.YouTube;

/// <summary>What videos.insert is sent always fits YouTube's limits and declares AI-made content.</summary>
public sealed class YouTubeVideoMetadataTests
{
    [Fact]
    public void A_long_title_is_cut_to_100_characters_and_angle_brackets_go()
    {
        var metadata = YouTubeVideoMetadata.Create("<b>Moose</b> " + new string('m', 200));

        Assert.Equal(100, metadata.Title.Length);
        Assert.StartsWith("bMoose/b ", metadata.Title);
        Assert.DoesNotContain('<', metadata.Title);
        Assert.DoesNotContain('>', metadata.Title);
    }

    [Fact]
    public void A_title_with_nothing_left_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => YouTubeVideoMetadata.Create(" <> "));
        Assert.Contains("needs a title", e.Message);
    }

    [Fact]
    public void A_multibyte_description_is_cut_to_5000_bytes_on_a_character_boundary()
    {
        // 3-byte kana and 4-byte emoji: 5000 is not a multiple of either's width.
        var description = string.Concat(Enumerable.Repeat("森の鹿🦌", 600));

        var cut = YouTubeVideoMetadata.Create("Deer", description).Description;

        var bytes = Encoding.UTF8.GetByteCount(cut);
        Assert.InRange(bytes, 5_000 - 3, 5_000);
        Assert.StartsWith(cut, description);
        Assert.False(char.IsHighSurrogate(cut[^1]));
        Assert.Equal(cut, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(cut)));
    }

    [Fact]
    public void A_description_of_exactly_5000_bytes_is_kept_whole()
    {
        var description = new string('é', 2_500);

        Assert.Equal(description, YouTubeVideoMetadata.Create("Elk", description).Description);
        Assert.Equal(2_500, YouTubeVideoMetadata.Create("Elk", description + "é").Description.Length);
    }

    [Fact]
    public void Tags_stop_at_500_characters_counting_quotes_around_tags_with_spaces()
    {
        // "big cats" counts 10 (its quotes), plus a comma between tags.
        var tags = Enumerable.Range(0, 60).Select(i => i % 2 == 0 ? $"big cats {i:D2}" : $"lions{i:D4}").ToList();

        var kept = YouTubeVideoMetadata.Create("Lions", tags: tags).Tags;

        var total = kept.Sum(t => t.Length + (t.Contains(' ') ? 2 : 0)) + kept.Count - 1;
        Assert.InRange(total, 480, 500);
        Assert.Equal(tags.Take(kept.Count), kept);
    }

    [Fact]
    public void A_scheduled_video_is_private_until_youtube_publishes_it_and_is_always_declared_synthetic()
    {
        var at = new DateTimeOffset(2026, 6, 1, 17, 0, 0, TimeSpan.FromHours(2));

        var scheduled = YouTubeVideoMetadata.Create("Wolves", privacy: PrivacyStatus.Public, publishAt: at, madeForKids: true, categoryId: "27");
        var now = YouTubeVideoMetadata.Create("Wolves", privacy: PrivacyStatus.Unlisted);

        Assert.Equal("private", scheduled.PrivacyText);
        Assert.Equal("2026-06-01T15:00:00Z", scheduled.PublishAtText);
        Assert.True(scheduled.MadeForKids);
        Assert.Equal("27", scheduled.CategoryId);
        Assert.True(scheduled.ContainsSyntheticMedia);
        Assert.Equal("unlisted", now.PrivacyText);
        Assert.Null(now.PublishAtText);
        Assert.Equal(YouTubeVideoMetadata.DefaultCategoryId, now.CategoryId);
    }

    [Fact]
    public void A_category_must_be_a_number()
    {
        Assert.Throws<ArgumentException>(() => YouTubeVideoMetadata.Create("Wolves", categoryId: "nature"));
    }
}
