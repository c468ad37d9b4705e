using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Grains.Channels;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Channels;

public sealed class ChannelsFileTests
{
    private const string OneChannel = """
        channels:
          - id: wild-africa
            name: Wild Africa
        """;

    [Fact]
    public void The_shipped_channels_yaml_is_valid_and_holds_its_sample_channels()
    {
        var result = ChannelsFile.Load(Path.Combine(Repo.Root, "channels.yaml"));

        Assert.Empty(result.Errors);
        Assert.True(result.IsValid);
        var channels = result.Document.Channels;
        Assert.Equal(["wild-africa", "ocean-deep", "northern-forests"], channels.Select(c => c.Id));
        Assert.All(channels, c => Assert.True(c.Enabled));
        Assert.True(channels.Select(c => (c.MaxConcurrentVideos, c.Weight)).Distinct().Count() > 1);

        // The demo runs unattended only if some channel passes every gate by itself.
        var unattended = Assert.Single(channels, c => Enum.GetValues<ReviewGate>().All(c.AutoApproves));
        Assert.Equal("northern-forests", unattended.Id);
        Assert.Equal(2, channels.Count(c => c.AutoApprove is null or { Count: 0 }));

        var providers = result.Document.Providers.ToDictionary(p => p.Provider);
        Assert.Equal(new ProviderLimit("kling", Concurrency: 8, TimeoutSeconds: 600), providers["kling"]);
        Assert.Equal(3, providers["notion"].RequestsPerSecond);
        Assert.Equal(
            new ProviderLimit("youtube:default", UnitsPerDay: 10_000, UploadsPerDay: 6, ResetTimeZone: "America/Los_Angeles"),
            providers["youtube:default"]);
    }

    [Fact]
    public void A_channel_with_only_id_and_name_gets_the_defaults_and_every_provider_its_default_limits()
    {
        var result = ChannelsFile.Parse(OneChannel);

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        var channel = Assert.Single(result.Document.Channels);
        Assert.Equal(("wild-africa", "Wild Africa", 1, 1, false, true),
            (channel.Id, channel.Name, channel.MaxConcurrentVideos, channel.Weight, channel.KeepFiles, channel.Enabled));
        Assert.Empty(channel.AutoApprove ?? []);
        Assert.Equal(
        [
            new ProviderLimit("gemini", Concurrency: 12, TimeoutSeconds: 120),
            new ProviderLimit("kling", Concurrency: 8, TimeoutSeconds: 600),
            new ProviderLimit("elevenlabs", Concurrency: 6, TimeoutSeconds: 120),
            new ProviderLimit("notion", RequestsPerSecond: 3),
        ], result.Document.Providers);
    }

    [Fact]
    public void Every_field_is_read_and_a_listed_provider_keeps_the_defaults_of_the_fields_it_leaves_out()
    {
        var result = ChannelsFile.Parse("""
            providers:
              kling: { concurrency: 5 }
              notion: { requests_per_second: 2.5 }
              "youtube:studio-2": { uploads_per_day: 3 }
            channels:
              - id: ocean-deep
                name: "Ocean Deep: the Abyss"
                max_concurrent_videos: 100
                weight: 7
                auto_approve: [final, assets]
                keep_files: true
                notion: { database_id: 0123456789abcdef0123456789abcdef, properties: { status: Stage } }
                youtube: { channel_id: UC123 }
              - id: "42"
                name: 1984
                auto_approve:
            """);

        Assert.Empty(result.Errors);
        Assert.True(result.IsValid);
        var ocean = result.Document.Channels[0];
        Assert.Equal(("ocean-deep", "Ocean Deep: the Abyss", 100, 7, true),
            (ocean.Id, ocean.Name, ocean.MaxConcurrentVideos, ocean.Weight, ocean.KeepFiles));
        Assert.Equal([ReviewGate.Final, ReviewGate.Assets], ocean.AutoApprove!);
        Assert.Equal(("42", "1984"), (result.Document.Channels[1].Id, result.Document.Channels[1].Name));
        Assert.Empty(result.Document.Channels[1].AutoApprove!);
        Assert.Equal("0123456789abcdef0123456789abcdef", ocean.Notion!.DatabaseId);
        Assert.Equal(new NotionPropertyNames(Status: "Stage"), ocean.Notion.Properties);
        Assert.Null(result.Document.Channels[1].Notion);

        var providers = result.Document.Providers.ToDictionary(p => p.Provider);
        Assert.Equal(new ProviderLimit("kling", Concurrency: 5, TimeoutSeconds: 600), providers["kling"]);
        Assert.Equal(2.5, providers["notion"].RequestsPerSecond);
        Assert.Equal(new ProviderLimit("gemini", Concurrency: 12, TimeoutSeconds: 120), providers["gemini"]);
        Assert.Equal(
            new ProviderLimit("youtube:studio-2", UnitsPerDay: 10_000, UploadsPerDay: 3, ResetTimeZone: "America/Los_Angeles"),
            providers["youtube:studio-2"]);
    }

    [Fact]
    public void A_word_where_a_number_belongs_is_refused_at_the_value_with_key_and_expectation()
    {
        var error = SingleError(OneChannel + "\n    max_concurrent_videos: two");

        Assert.Equal(
            new ConfigError(4, 28, "channels[0].max_concurrent_videos: expected an integer from 1 to 100, got \"two\""),
            error);
    }

    [Theory]
    [InlineData("max_concurrent_videos: 0", 28, "channels[0].max_concurrent_videos: expected an integer from 1 to 100, got 0")]
    [InlineData("max_concurrent_videos: 101", 28, "channels[0].max_concurrent_videos: expected an integer from 1 to 100, got 101")]
    [InlineData("weight: -1", 13, "channels[0].weight: expected an integer from 1 to 100, got -1")]
    [InlineData("weight: 2.5", 13, "channels[0].weight: expected an integer from 1 to 100, got 2.5")]
    [InlineData("weight: \"2\"", 13, "channels[0].weight: expected an integer from 1 to 100, got \"2\" (in quotes, so text)")]
    [InlineData("weight: [1]", 13, "channels[0].weight: expected an integer from 1 to 100, got a list")]
    [InlineData("weight: ~", 13, "channels[0].weight: expected an integer from 1 to 100, got nothing")]
    [InlineData("keep_files: yes", 17, "channels[0].keep_files: expected true or false, got \"yes\"")]
    [InlineData("keep_files: 1", 17, "channels[0].keep_files: expected true or false, got 1")]
    [InlineData("auto_approve: assets", 19,
        "channels[0].auto_approve: expected a list of review gates from assets, video, audio, final, e.g. [assets, video], got \"assets\"")]
    [InlineData("notion: enabled", 13, "channels[0].notion: expected a mapping with database_id (and optionally properties), got \"enabled\"")]
    [InlineData("notion: { database_id: abc }", 28, "channels[0].notion.database_id: expected a Notion database id (32 hexadecimal digits, dashes allowed), got \"abc\"")]
    [InlineData("notion: { database_id: 0123456789abcdef0123456789abcdef, properties: { stat: S } }", 76, "channels[0].notion.properties.stat: unknown key; did you mean \"status\"?")]
    [InlineData("provider_caps: 3", 20,
        "channels[0].provider_caps: expected a mapping from provider to the most slots this channel may hold at once, e.g. { kling: 3 }, got 3")]
    [InlineData("provider_caps: { kling: 0 }", 29, "channels[0].provider_caps.kling: expected an integer from 1 to 1000, got 0")]
    [InlineData("provider_caps: { klin: 2 }", 22, "channels[0].provider_caps.klin: unknown provider; did you mean \"kling\"?")]
    public void A_channel_value_of_the_wrong_type_or_out_of_range_is_refused_where_it_stands(
        string line, int column, string message)
    {
        var error = SingleError(OneChannel + "\n    " + line);

        Assert.Equal(new ConfigError(4, column, message), error);
    }

    [Theory]
    [InlineData("kling: { concurrency: 1001 }", 25, "providers.kling.concurrency: expected an integer from 1 to 1000, got 1001")]
    [InlineData("elevenlabs: { concurrency: two }", 30, "providers.elevenlabs.concurrency: expected an integer from 1 to 1000, got \"two\"")]
    [InlineData("notion: { requests_per_second: 0 }", 34, "providers.notion.requests_per_second: expected a number greater than 0, got 0")]
    [InlineData("gemini: { timeout_seconds: 86401 }", 30, "providers.gemini.timeout_seconds: expected an integer from 1 to 86400, got 86401")]
    [InlineData("\"youtube:default\": { units_per_day: 0 }", 39,
        "providers.youtube:default.units_per_day: expected an integer of at least 1, got 0")]
    [InlineData("\"youtube:default\": { units_per_day: 99999999999 }", 39,
        "providers.youtube:default.units_per_day: expected an integer from 1 to 2147483647, got 99999999999")]
    [InlineData("\"youtube:default\": { reset_time_zone: America/Los_Angles }", 41,
        "providers.youtube:default.reset_time_zone: unknown time zone \"America/Los_Angles\"; expected an IANA time zone such as America/Los_Angeles")]
    [InlineData("kling: 8", 10,
        "providers.kling: expected a mapping of limits (concurrency, requests_per_second, units_per_day, uploads_per_day, timeout_seconds, reset_time_zone, reset_time), got 8")]
    [InlineData("\"youtube:default\": { reset_time: \"25:00\" }", 36,
        "providers.youtube:default.reset_time: expected a time of day as HH:mm or HH:mm:ss, e.g. \"00:00\", got \"25:00\"")]
    [InlineData("kling: { timeout: 600 }", 12, "providers.kling.timeout: unknown key; did you mean \"timeout_seconds\"?")]
    [InlineData("gemni: { concurrency: 4 }", 3, "providers.gemni: unknown provider; did you mean \"gemini\"?")]
    [InlineData("youtube: { uploads_per_day: 6 }", 3,
        "providers.youtube: YouTube limits belong to a Google Cloud project: write youtube:<project>, e.g. \"youtube:default\"")]
    [InlineData("\"youtube:My_Project\": { uploads_per_day: 6 }", 3,
        "providers.youtube:My_Project: the Google Cloud project after \"youtube:\" must be lowercase letters, digits and dashes")]
    public void A_wrong_provider_or_limit_is_refused_where_it_stands(string line, int column, string message)
    {
        var error = SingleError("providers:\n  " + line + "\n" + OneChannel);

        Assert.Equal(new ConfigError(2, column, message), error);
    }

    [Fact]
    public void A_channel_caps_its_share_of_a_provider_and_a_quota_resets_at_its_own_time_of_day()
    {
        var result = ChannelsFile.Parse("""
            providers:
              "youtube:eu": { units_per_day: 5000, reset_time_zone: Europe/Berlin, reset_time: "06:30" }
            channels:
              - id: a
                name: A
                provider_caps: { kling: 2, "youtube:eu": 1 }
            """);

        Assert.Empty(result.Errors);
        var youtube = Assert.Single(result.Document!.Providers, p => p.Provider == "youtube:eu");
        Assert.Equal(new TimeOnly(6, 30), youtube.ResetTime);
        Assert.Equal(new Dictionary<string, int> { ["kling"] = 2, ["youtube:eu"] = 1 }, result.Document.Channels[0].ProviderCaps);
    }

    [Fact]
    public void An_iana_time_zone_resolves()
    {
        var result = ChannelsFile.Parse("providers:\n  \"youtube:eu\": { reset_time_zone: Europe/Berlin }\n" + OneChannel);

        Assert.Empty(result.Errors);
        Assert.Equal("Europe/Berlin", Assert.Single(result.Document!.Providers, p => p.Provider == "youtube:eu").ResetTimeZone);
    }

    [Fact]
    public void Providers_that_are_not_a_mapping_are_refused()
    {
        var error = SingleError("providers: [gemini]\n" + OneChannel);

        Assert.Equal(new ConfigError(1, 12,
            "providers: expected a mapping from provider (gemini, kling, elevenlabs, notion or youtube:<project>) to its limits, got a list"),
            error);
    }

    [Fact]
    public void A_misspelt_key_is_refused_with_the_key_it_resembles()
    {
        var error = SingleError(OneChannel + "\n    max_concurent_videos: 2");

        Assert.Equal(
            new ConfigError(4, 5, "channels[0].max_concurent_videos: unknown key; did you mean \"max_concurrent_videos\"?"),
            error);
    }

    [Fact]
    public void A_key_in_another_spelling_convention_is_pointed_to_the_snake_case_one()
    {
        var error = SingleError(OneChannel + "\n    keepFiles: true");

        Assert.Equal(new ConfigError(4, 5, "channels[0].keepFiles: unknown key; did you mean \"keep_files\"?"), error);
    }

    [Fact]
    public void An_unknown_key_resembling_nothing_is_refused_with_the_keys_allowed()
    {
        var error = SingleError(OneChannel + "\n    colour: blue");

        Assert.Equal(new ConfigError(4, 5,
            "channels[0].colour: unknown key; expected one of: id, name, max_concurrent_videos, weight, auto_approve, keep_files, provider_caps, notion, youtube"),
            error);
    }

    [Fact]
    public void A_misspelt_top_level_key_is_refused_and_the_missing_channels_reported()
    {
        var result = ChannelsFile.Parse("chanels:\n  - id: wild-africa\n    name: Wild Africa");

        Assert.False(result.IsValid);
        Assert.Equal(
        [
            new ConfigError(1, 1, "chanels: unknown key; did you mean \"channels\"?"),
            new ConfigError(1, 1, "missing required key \"channels\": a list of at least one channel (each item starting with \"- id:\")"),
        ], result.Errors);
    }

    [Fact]
    public void Duplicate_channel_ids_are_refused_at_the_second_naming_the_first()
    {
        var error = SingleError("""
            channels:
              - id: wild-africa
                name: Wild Africa
              - id: wild-africa
                name: Wild Africa Again
            """);

        Assert.Equal(new ConfigError(4, 9, "channels[1].id: duplicate id \"wild-africa\"; line 2 already uses it"), error);
    }

    [Fact]
    public void A_key_repeated_in_one_mapping_is_refused_at_the_repeat()
    {
        var error = SingleError(OneChannel + "\n    weight: 1\n    weight: 2");

        Assert.Equal(new ConfigError(5, 5, "duplicate key \"weight\"; a key may appear only once in a mapping"), error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# every channel commented out\n#channels:\n")]
    [InlineData("---\n")]
    public void An_empty_file_is_refused(string yaml)
    {
        var error = SingleError(yaml);

        Assert.Equal(new ConfigError(1, 1,
            "the file is empty; expected a mapping with \"channels:\" (required) and \"providers:\" (optional)"), error);
    }

    [Fact]
    public void A_top_level_that_is_not_a_mapping_is_refused()
    {
        var error = SingleError("- id: wild-africa\n  name: Wild Africa");

        Assert.Equal(new ConfigError(1, 1,
            "expected a mapping with \"channels:\" (required) and \"providers:\" (optional), got a list"), error);
    }

    [Theory]
    [InlineData("channels:\n  id: wild-africa\n  name: Wild Africa", 2, 3, "a mapping")]
    [InlineData("channels: []", 1, 11, "an empty list")]
    [InlineData("channels: wild-africa", 1, 11, "\"wild-africa\"")]
    public void Channels_that_are_not_a_list_of_channels_are_refused(string yaml, int line, int column, string got)
    {
        var error = SingleError(yaml);

        Assert.Equal(new ConfigError(line, column,
            $"channels: expected a list of at least one channel (each item starting with \"- id:\"), got {got}"), error);
    }

    [Fact]
    public void A_channel_that_is_not_a_mapping_is_refused()
    {
        var error = SingleError(OneChannel + "\n  - ocean-deep");

        Assert.Equal(new ConfigError(4, 5, "channels[1]: expected a channel (a mapping with id, name, …), got \"ocean-deep\""), error);
    }

    [Fact]
    public void Missing_id_and_name_are_refused_at_the_channel()
    {
        var result = ChannelsFile.Parse(OneChannel + "\n  - weight: 2");

        Assert.Equal(
        [
            new ConfigError(4, 5, "channels[1]: missing required key \"id\": an id (lowercase letters, digits and dashes)"),
            new ConfigError(4, 5, "channels[1]: missing required key \"name\": a display name"),
        ], result.Errors);
    }

    [Theory]
    [InlineData("Wild_Africa", "\"Wild_Africa\"")]
    [InlineData("-wild", "\"-wild\"")]
    [InlineData("wild/../../etc", "\"wild/../../etc\"")]
    public void An_id_that_cannot_name_a_folder_is_refused(string id, string shown)
    {
        var error = SingleError($"channels:\n  - id: {id}\n    name: Wild Africa");

        Assert.Equal(new ConfigError(2, 9,
            "channels[0].id: expected an id of lowercase letters, digits and dashes, 1 to 63 characters, not starting with a dash"
            + $" (it names folders), got {shown}"), error);
    }

    [Fact]
    public void A_blank_name_is_refused()
    {
        var error = SingleError("channels:\n  - id: wild-africa\n    name: \"  \"");

        Assert.Equal(new ConfigError(3, 11, "channels[0].name: expected a display name, got \"  \""), error);
    }

    [Fact]
    public void Unknown_and_repeated_review_gates_are_refused_item_by_item()
    {
        var result = ChannelsFile.Parse(OneChannel + "\n    auto_approve: [assets, vidoe, assets]");

        Assert.Equal(
        [
            new ConfigError(4, 28, "channels[0].auto_approve[1]: unknown review gate \"vidoe\"; did you mean \"video\"?"),
            new ConfigError(4, 35, "channels[0].auto_approve[2]: \"assets\" is listed twice"),
        ], result.Errors);
    }

    [Fact]
    public void Every_error_in_the_file_is_reported_at_once_in_file_order()
    {
        var result = ChannelsFile.Parse("""
            channels:
              - id: Wild_Africa
                name: Wild Africa
                weight: heavy
              - id: ocean-deep
                keep_files: maybe
            providers:
              kling: { concurrency: 0 }
            """);

        Assert.False(result.IsValid);
        Assert.Null(result.Document);
        Assert.Equal(
            [(2, 9), (4, 13), (5, 5), (6, 17), (8, 25)],
            result.Errors.Select(e => (e.Line, e.Column)));
        Assert.StartsWith("channels[0].id: ", result.Errors[0].Message);
        Assert.Equal("channels[0].weight: expected an integer from 1 to 100, got \"heavy\"", result.Errors[1].Message);
        Assert.Equal("channels[1]: missing required key \"name\": a display name", result.Errors[2].Message);
        Assert.Equal("channels[1].keep_files: expected true or false, got \"maybe\"", result.Errors[3].Message);
        Assert.Equal("providers.kling.concurrency: expected an integer from 1 to 1000, got 0", result.Errors[4].Message);
    }

    [Fact]
    public void A_yaml_syntax_error_is_refused_at_its_position()
    {
        var error = SingleError("channels:\n  - id: wild-africa\n    name: 'Wild Africa\n");

        Assert.Equal((3, 11), (error.Line, error.Column));
        Assert.StartsWith("YAML syntax error: ", error.Message);
        Assert.Contains("quoted scalar", error.Message);
    }

    [Fact]
    public void A_bad_indentation_is_refused_at_its_position()
    {
        var error = SingleError("channels:\n  - id: wild-africa\n    name: Wild Africa\n   weight: 2\n");

        Assert.Equal((4, 4), (error.Line, error.Column));
        Assert.StartsWith("YAML syntax error: ", error.Message);
    }

    [Fact]
    public void An_unclosed_bracket_is_refused_where_the_reader_stopped()
    {
        var error = SingleError(OneChannel + "\n    auto_approve: [assets, video\n    keep_files: false\n");

        Assert.Equal(new ConfigError(5, 5,
            "YAML syntax error: cannot read the text here (an unclosed \"[\", \"{\" or quote above is the usual cause)"), error);
    }

    [Fact]
    public void An_alias_without_an_anchor_is_refused_at_the_alias()
    {
        var error = SingleError(OneChannel + "\n    weight: *heavy");

        Assert.Equal(new ConfigError(4, 13,
            "YAML syntax error: the alias \"*heavy\" refers to no anchor \"&heavy\" defined before it"), error);
    }

    [Fact]
    public void Anchors_and_aliases_are_followed()
    {
        var result = ChannelsFile.Parse("""
            channels:
              - id: wild-africa
                name: Wild Africa
                auto_approve: &all [assets, video, audio, final]
              - id: ocean-deep
                name: Ocean Deep
                auto_approve: *all
            """);

        Assert.Empty(result.Errors);
        Assert.All(result.Document!.Channels, c => Assert.Equal(4, c.AutoApprove!.Count));
    }

    [Fact]
    public void A_second_yaml_document_is_refused()
    {
        var error = SingleError(OneChannel + "\n---\nchannels: []\n");

        Assert.Equal(new ConfigError(5, 1,
            "a second YAML document; channels.yaml holds one (remove the \"---\" before this)"), error);
    }

    [Fact]
    public void Loading_a_missing_file_is_one_error_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-dir-{Guid.NewGuid():N}", "channels.yaml");

        var error = Assert.Single(ChannelsFile.Load(path).Errors);

        Assert.Equal(new ConfigError(0, 0, $"cannot read {path}: the file does not exist"), error);
    }

    [Fact]
    public void Loading_a_directory_is_one_error_naming_the_path()
    {
        var path = Directory.CreateTempSubdirectory("channels-yaml-").FullName;
        try
        {
            var result = ChannelsFile.Load(path);

            var error = Assert.Single(result.Errors);
            Assert.Equal((0, 0), (error.Line, error.Column));
            Assert.StartsWith($"cannot read {path}: ", error.Message);
            Assert.Null(result.Document);
        }
        finally
        {
            Directory.Delete(path);
        }
    }

    [Fact]
    public void Loading_a_file_reads_it()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, OneChannel);

            var result = ChannelsFile.Load(path);

            Assert.True(result.IsValid);
            Assert.Equal("wild-africa", Assert.Single(result.Document.Channels).Id);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_refusal_always_carries_a_reason()
    {
        Assert.Throws<ArgumentException>(() => ChannelsParseResult.Invalid([]));
    }

    private static ConfigError SingleError(string yaml)
    {
        var result = ChannelsFile.Parse(yaml);

        Assert.False(result.IsValid);
        Assert.Null(result.Document);
        return Assert.Single(result.Errors);
    }
}
