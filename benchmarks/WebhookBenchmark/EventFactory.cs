using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Pipeline.Benchmarks.Webhooks;

/// <summary>
/// page.properties_updated events in Notion's envelope (as tests/Pipeline.Tests/Fakes/FakeNotion.Webhooks.cs makes them),
/// each with a new event id, spread round-robin over a fixed set of page ids that no channel has. Signed here with
/// HMACSHA256 directly, not with the product's code, so a fault in the product's check cannot hide in the benchmark.
/// </summary>
public sealed class EventFactory
{
    private const string WorkspaceId = "a1b2c3d4-0000-4000-8000-00000000000a";
    private const string SubscriptionId = "5abc41b0-0000-4000-8000-00000000000b";
    private const string IntegrationId = "1e7ea710-0000-4000-8000-00000000000c";
    private const string BotId = "b0700000-0000-4000-8000-0000000000b0";
    private const string PersonId = "9e250000-0000-4000-8000-0000000000e5";
    private const string DatabaseId = "d8b1a5e0-0000-4000-8000-0000000000db";
    private const string DataSourceId = "d5c0a7e0-0000-4000-8000-0000000000d5";

    // Notion's property ids are short url-encoded strings; an edit usually touches one or two.
    private static readonly string[][] UpdatedProperties = [["title"], ["%3AbQ%5D"], ["Vw%3Fx", "%60nZk"], ["SxBd"]];

    private readonly byte[] _key;
    private readonly string[] _pageIds;
    private long _next;

    public EventFactory(string verificationToken, int pages)
    {
        _key = Encoding.UTF8.GetBytes(verificationToken);
        _pageIds = [.. Enumerable.Range(0, pages).Select(_ => Guid.NewGuid().ToString())];
    }

    public int Pages => _pageIds.Length;

    /// <summary>The next <paramref name="count"/> events: every one a new event id.</summary>
    public SignedEvent[] Next(int count)
    {
        var events = new SignedEvent[count];
        for (var i = 0; i < count; i++)
        {
            events[i] = Next();
        }

        return events;
    }

    public SignedEvent Next()
    {
        var n = _next++;
        var body = Body(_pageIds[n % _pageIds.Length], UpdatedProperties[n % UpdatedProperties.Length], DateTime.UtcNow);
        return new SignedEvent(body, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, body)));
    }

    private static byte[] Body(string pageId, string[] properties, DateTime at)
    {
        using var buffer = new MemoryStream(900);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", Guid.NewGuid().ToString());
            json.WriteString("timestamp", at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("workspace_id", WorkspaceId);
            json.WriteString("workspace_name", "Pipeline Studio");
            json.WriteString("subscription_id", SubscriptionId);
            json.WriteString("integration_id", IntegrationId);
            json.WriteString("type", "page.properties_updated");
            json.WriteStartArray("authors");
            json.WriteStartObject();
            json.WriteString("id", PersonId);
            json.WriteString("type", "person");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteStartArray("accessible_by");
            json.WriteStartObject();
            json.WriteString("id", BotId);
            json.WriteString("type", "bot");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteNumber("attempt_number", 1);
            json.WriteString("api_version", "2025-09-03");
            json.WriteStartObject("entity");
            json.WriteString("id", pageId);
            json.WriteString("type", "page");
            json.WriteEndObject();
            json.WriteStartObject("data");
            json.WriteStartObject("parent");
            json.WriteString("id", DatabaseId);
            json.WriteString("type", "database");
            json.WriteString("data_source_id", DataSourceId);
            json.WriteEndObject();
            json.WriteStartArray("updated_properties");
            foreach (var property in properties)
            {
                json.WriteStringValue(property);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
