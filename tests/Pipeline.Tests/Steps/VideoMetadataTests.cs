using System.Text;
using Pipeline.Grains.Publishing;

namespace Pipeline.Tests.Steps;

/// <summary>What is published always fits YouTube's metadata limits.</summary>
public sealed class VideoMetadataTests
{
    [Fact]
    public void A_title_is_cut_to_100_characters_without_angle_brackets()
    {
        Assert.Equal("Lions on the plains", VideoMetadata.Title(" Lions <on> the plains "));
        Assert.Equal(100, VideoMetadata.Title(new string('a', 150)).Length);
    }

    [Fact]
    public void A_multibyte_description_is_cut_to_5000_bytes_on_a_character_boundary()
    {
        var description = string.Concat(Enumerable.Repeat("ライオン🦁", 1_000));

        var cut = VideoMetadata.Description(description);

        Assert.InRange(Encoding.UTF8.GetByteCount(cut), 4_990, 5_000);
        Assert.StartsWith(cut, description, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(cut[^1]), "a surrogate pair must not be split");
    }

    [Fact]
    public void Tags_stop_before_500_characters_counting_quotes_and_commas()
    {
        var tags = Enumerable.Range(0, 100).Select(i => $"wild life {i:D2}").ToList();

        var kept = VideoMetadata.Tags(tags);

        // "wild life NN" is 12 characters, 14 quoted, plus a comma between tags.
        Assert.Equal(33, kept.Count);
        Assert.Equal(tags.Take(33), kept);
        Assert.Equal(["lions"], VideoMetadata.Tags(["  lions ", "<>", ""]));
    }
}
