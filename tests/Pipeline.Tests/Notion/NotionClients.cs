using Microsoft.Extensions.Configuration;
using Pipeline.Grains.Notion;
using Pipeline.Tests.Fakes;

namespace Pipeline.Tests.Notion;

/// <summary>NotionClients pointed at a fake Notion, made as the silo will make them: from configuration.</summary>
public static class NotionClients
{
    public static NotionClient For(
        FakeNotion notion, string? version = null, int maxRetries = 0, INotionRequestGate? gate = null, TimeSpan? timeout = null,
        string? token = null)
    {
        var settings = new Dictionary<string, string?>(notion.Environment.ToDictionary(e => e.Key, e => (string?)e.Value))
        {
            ["NOTION_VERSION"] = version,
        };
        if (token is not null)
        {
            settings["NOTION_TOKEN"] = token;
        }

        var options = NotionOptions.From(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        return new NotionClient(http, new NotionOptions
        {
            BaseUrl = options.BaseUrl,
            Token = options.Token,
            Version = options.Version,
            MaxRetries = maxRetries,
            FirstBackoff = TimeSpan.FromMilliseconds(20),
        }, gate);
    }
}
