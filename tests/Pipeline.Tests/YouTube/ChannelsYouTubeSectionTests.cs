using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Channels;

namespace Pipeline.Tests.YouTube;

/// <summary>A channel's <c>youtube:</c> section in channels.yaml, and the limiter of the project it names.</summary>
public sealed class ChannelsYouTubeSectionTests
{
    [Fact]
    public void Every_field_is_read_and_the_project_named_gets_a_limiter_with_the_defaults()
    {
        var result = ChannelsFile.Parse("""
            channels:
              - id: wild-africa
                name: Wild Africa
                youtube:
                  project: studio-2
                  publish_slots: "mon,wed,fri 09:30,18:00 America/New_York"
                  privacy: unlisted
                  category_id: "27"
                  made_for_kids: true
                  units_per_upload: 100
                  channel_id: UC123
              - id: plain
                name: Plain
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(
            new ChannelYouTubeConfig("studio-2", "mon,wed,fri 09:30,18:00 America/New_York", "unlisted", "27", true, 100, "UC123"),
            result.Document!.Channels[0].YouTube);
        Assert.Null(result.Document.Channels[1].YouTube);
        Assert.Equal(
            new ProviderLimit("youtube:studio-2", UnitsPerDay: 10_000, ResetTimeZone: "America/Los_Angeles"),
            Assert.Single(result.Document.Providers, p => p.Provider.StartsWith("youtube:", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_project_listed_under_providers_keeps_its_limits()
    {
        var result = ChannelsFile.Parse("""
            providers:
              "youtube:default": { uploads_per_day: 2 }
            channels:
              - id: wild-africa
                name: Wild Africa
                youtube: {}
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(ChannelYouTubeConfig.Default, result.Document!.Channels[0].YouTube);
        Assert.Equal(2, Assert.Single(result.Document.Providers, p => p.Provider == "youtube:default").UploadsPerDay);
    }

    [Theory]
    [InlineData("youtube: { publish_slots: \"daily 17:00 Europe/Pariss\" }", "channels[0].youtube.publish_slots: unknown time zone 'Europe/Pariss'")]
    [InlineData("youtube: { privacy: secret }", "channels[0].youtube.privacy: unknown privacy")]
    [InlineData("youtube: { category_id: pets }", "channels[0].youtube.category_id: expected a YouTube category id")]
    [InlineData("youtube: { project: My_Project }", "channels[0].youtube.project: expected a Google Cloud project name")]
    [InlineData("youtube: { units_per_upload: 0 }", "channels[0].youtube.units_per_upload: expected an integer")]
    [InlineData("youtube: { publish_at: now }", "channels[0].youtube")]
    [InlineData("youtube: on", "channels[0].youtube: expected a mapping")]
    public void A_bad_value_is_refused_with_where_and_why(string line, string expected)
    {
        var result = ChannelsFile.Parse($"""
            channels:
              - id: wild-africa
                name: Wild Africa
                {line}
            """);

        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith(expected, error.Message);
        Assert.Equal(4, error.Line);
    }
}
