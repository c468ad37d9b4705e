using Pipeline.Grains.Abstractions.Channels;
using Pipeline.Grains.YouTube;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Grains.Channels;

/// <summary>A channel's <c>youtube:</c> section, and a limiter for every Cloud project a channel names.</summary>
public static partial class ChannelsFile
{
    private const string YouTubeKey = "youtube";

    private static readonly string[] YouTubeKeys =
        ["project", "publish_slots", "privacy", "category_id", "made_for_kids", "units_per_upload", "channel_id"];

    private static readonly Dictionary<string, string> PrivacyNames = new(StringComparer.Ordinal)
    {
        ["private"] = "private",
        ["unlisted"] = "unlisted",
        ["public"] = "public",
    };

    /// <summary>The channel's <c>youtube:</c> mapping; null when it has none (the defaults apply).</summary>
    private static ChannelYouTubeConfig? ReadYouTube(YamlNode? node, string path, YamlNodeReader reader)
    {
        if (node is null || YamlNodeReader.IsNull(node))
        {
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            reader.Error(node, path, $"expected a mapping, got {YamlNodeReader.Describe(node)}");
            return null;
        }

        var keys = reader.Keys(mapping, path, YouTubeKeys);
        var config = ChannelYouTubeConfig.Default;

        if (keys.TryGetValue("project", out var projectNode)
            && reader.Text(projectNode, At("project"), "a Google Cloud project name (lowercase letters, digits and dashes)") is { } project)
        {
            if (ChannelId().IsMatch(project))
            {
                config = config with { Project = project };
            }
            else
            {
                reader.Error(projectNode, At("project"),
                    $"expected a Google Cloud project name of lowercase letters, digits and dashes, got {YamlNodeReader.Describe(projectNode)}");
            }
        }

        if (keys.TryGetValue("publish_slots", out var slotsNode)
            && reader.Text(slotsNode, At("publish_slots"), "publish slots such as \"daily 17:00 Europe/Paris\"") is { } slots)
        {
            if (PublishSchedule.TryParse(slots, out _, out var problem))
            {
                config = config with { PublishSlots = slots.Trim() };
            }
            else
            {
                reader.Error(slotsNode, At("publish_slots"), $"{problem}; got {YamlNodeReader.Describe(slotsNode)}");
            }
        }

        if (keys.TryGetValue("privacy", out var privacyNode)
            && reader.Text(privacyNode, At("privacy"), "private, unlisted or public") is { } privacy)
        {
            if (PrivacyNames.TryGetValue(privacy, out var known))
            {
                config = config with { Privacy = known };
            }
            else
            {
                reader.Error(privacyNode, At("privacy"), YamlNodeReader.UnknownName("unknown privacy", privacy, [.. PrivacyNames.Keys]));
            }
        }

        if (keys.TryGetValue("category_id", out var categoryNode)
            && reader.Text(categoryNode, At("category_id"), "a YouTube category id such as \"15\"") is { } category)
        {
            if (category.Length is > 0 and <= 4 && category.All(char.IsAsciiDigit))
            {
                config = config with { CategoryId = category };
            }
            else
            {
                reader.Error(categoryNode, At("category_id"),
                    $"expected a YouTube category id (a number such as 15, Pets & Animals), got {YamlNodeReader.Describe(categoryNode)}");
            }
        }

        if (reader.Bool(keys.GetValueOrDefault("made_for_kids"), At("made_for_kids")) is { } madeForKids)
        {
            config = config with { MadeForKids = madeForKids };
        }

        if (reader.Int(keys.GetValueOrDefault("units_per_upload"), At("units_per_upload"), 1, 1_000_000) is { } units)
        {
            config = config with { UnitsPerUpload = units };
        }

        if (keys.TryGetValue("channel_id", out var channelNode)
            && reader.Text(channelNode, At("channel_id"), "the YouTube channel's id (UC…)") is { } youTubeChannel)
        {
            config = config with { ChannelId = youTubeChannel };
        }

        return config;

        string At(string key) => YamlNodeReader.Child(path, key);
    }

    /// <summary>
    /// Every project a channel names gets a limiter with the defaults (a Cloud project's quota, reset at midnight
    /// Pacific) unless <c>providers:</c> lists it, so no channel uploads outside a daily quota.
    /// </summary>
    private static void AddYouTubeProjects(List<ProviderLimit> providers, IEnumerable<ChannelConfig> channels)
    {
        foreach (var key in channels.Select(c => c.YouTube?.LimiterKey).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (providers.All(p => p.Provider != key))
            {
                providers.Add(YouTubeDefaults with { Provider = key });
            }
        }
    }
}
