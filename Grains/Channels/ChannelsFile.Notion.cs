using Pipeline.Grains.Abstractions.Channels;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Grains.Channels;

/// <summary>A channel's <c>notion:</c> section: its database and, where they differ from the defaults, its column names.</summary>
public static partial class ChannelsFile
{
    private static readonly string[] NotionKeys = ["database_id", "properties"];

    private static readonly Dictionary<string, Func<NotionPropertyNames, string, NotionPropertyNames>> NotionColumns = new(StringComparer.Ordinal)
    {
        ["title"] = (p, v) => p with { Title = v },
        ["status"] = (p, v) => p with { Status = v },
        ["topic"] = (p, v) => p with { Topic = v },
        ["story_direction"] = (p, v) => p with { StoryDirection = v },
        ["priority"] = (p, v) => p with { Priority = v },
        ["error"] = (p, v) => p with { Error = v },
        ["retry_count"] = (p, v) => p with { RetryCount = v },
        ["cost"] = (p, v) => p with { Cost = v },
        ["youtube_url"] = (p, v) => p with { YouTubeUrl = v },
        ["updated"] = (p, v) => p with { Updated = v },
    };

    private static ChannelNotionConfig? ReadNotion(YamlNode? node, string path, YamlNodeReader reader)
    {
        if (node is null || YamlNodeReader.IsNull(node))
        {
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            reader.Error(node, path, $"expected a mapping with database_id (and optionally properties), got {YamlNodeReader.Describe(node)}");
            return null;
        }

        var keys = reader.Keys(mapping, path, NotionKeys);
        string? databaseId = null;
        if (!keys.TryGetValue("database_id", out var idNode))
        {
            reader.Error(mapping, path, "missing required key \"database_id\": the id of the channel's Notion database (from its URL)");
        }
        else if (reader.Text(idNode, YamlNodeReader.Child(path, "database_id"), "a Notion database id") is { } text)
        {
            var compact = text.Trim().Replace("-", "", StringComparison.Ordinal);
            if (compact.Length == 32 && compact.All(Uri.IsHexDigit))
            {
                databaseId = text.Trim();
            }
            else
            {
                reader.Error(idNode, YamlNodeReader.Child(path, "database_id"),
                    $"expected a Notion database id (32 hexadecimal digits, dashes allowed), got {YamlNodeReader.Describe(idNode)}");
            }
        }

        var names = new NotionPropertyNames();
        if (keys.TryGetValue("properties", out var propertiesNode) && !YamlNodeReader.IsNull(propertiesNode))
        {
            var propertiesPath = YamlNodeReader.Child(path, "properties");
            if (propertiesNode is not YamlMappingNode properties)
            {
                reader.Error(propertiesNode, propertiesPath, $"expected a mapping from {string.Join(", ", NotionColumns.Keys)} to column names, got {YamlNodeReader.Describe(propertiesNode)}");
            }
            else
            {
                foreach (var (column, name) in reader.Keys(properties, propertiesPath, [.. NotionColumns.Keys]))
                {
                    if (reader.Text(name, YamlNodeReader.Child(propertiesPath, column), "a column name") is { Length: > 0 } value)
                    {
                        names = NotionColumns[column](names, value);
                    }
                }
            }
        }

        return databaseId is null ? null : new ChannelNotionConfig(databaseId, names);
    }
}
