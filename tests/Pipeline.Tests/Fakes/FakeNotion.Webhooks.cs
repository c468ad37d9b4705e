using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Tests.Fakes;

/// <summary>
/// Webhooks: every change the fake sees (a person's edit, an update through the API, a new or trashed page)
/// makes an event in Notion's envelope, kept until a test takes and sends it — once, twice, late or never,
/// as Notion may. Signatures are made here independently of the product's code.
/// </summary>
public sealed partial class FakeNotion
{
    public const string WorkspaceId = "a1b2c3d4-0000-4000-8000-00000000000a";
    public const string SubscriptionId = "5abc41b0-0000-4000-8000-00000000000b";
    public const string IntegrationId = "1e7ea710-0000-4000-8000-00000000000c";

    private readonly List<JsonObject> _events = [];
    private readonly HttpClient _webhookClient = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The events made since the last call, oldest first, and forgets them.</summary>
    public IReadOnlyList<JsonObject> TakeEvents()
    {
        lock (_state)
        {
            var events = _events.ToList();
            _events.Clear();
            return events;
        }
    }

    /// <summary>An event about a page, as Notion would send it (a new id each time; call once and send the same object to repeat it).</summary>
    /// <param name="type">E.g. page.properties_updated.</param>
    /// <param name="updatedProperties">Property names (made into their ids) for page.properties_updated.</param>
    /// <param name="authorId">Who made the change; a person by default.</param>
    public JsonObject PageEvent(string type, string pageId, IEnumerable<string>? updatedProperties = null, string authorId = PersonId)
    {
        lock (_state)
        {
            var page = _pages[Normalize(pageId)];
            var ids = (updatedProperties ?? []).Select(n => page.Source.Find(n)?.Id ?? throw new ArgumentException($"{n} is not a property.")).ToList();
            return Event(type, page, authorId, authorId == BotUserId ? "bot" : "person", ids);
        }
    }

    /// <summary>The subscription's first request: the verification token, unsigned (the receiver does not know the key yet).</summary>
    public Task<HttpResponseMessage> SendHandshakeAsync(string url, string verificationToken) =>
        PostAsync(url, JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["verification_token"] = verificationToken }), null);

    /// <summary>Sends an event signed with <paramref name="verificationToken"/>, as Notion does.</summary>
    public Task<HttpResponseMessage> SendWebhookAsync(string url, JsonObject payload, string verificationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(payload);
        return PostAsync(url, body, Sign(body, verificationToken));
    }

    /// <summary>Sends raw bytes with whatever signature header a test wants (null: none), to check what is refused.</summary>
    public Task<HttpResponseMessage> SendRawWebhookAsync(string url, byte[] body, string? signature) => PostAsync(url, body, signature);

    /// <summary>The X-Notion-Signature value for a body, computed here with no help from the product's code.</summary>
    public static string Sign(byte[] body, string verificationToken) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(verificationToken), body));

    private async Task<HttpResponseMessage> PostAsync(string url, byte[] body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.UserAgent.ParseAdd("notion-api");
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Notion-Signature", signature);
        }

        return await _webhookClient.SendAsync(request);
    }

    private void RecordEvent(string type, PageState page, string authorId, string authorType, IReadOnlyList<string> propertyIds) =>
        _events.Add(Event(type, page, authorId, authorType, propertyIds));

    private JsonObject Event(string type, PageState page, string authorId, string authorType, IReadOnlyList<string> propertyIds)
    {
        var data = new JsonObject
        {
            ["parent"] = new JsonObject { ["id"] = page.Source.Database.Id, ["type"] = "database", ["data_source_id"] = page.Source.Id },
        };
        if (type == "page.properties_updated")
        {
            data["updated_properties"] = new JsonArray([.. propertyIds.Select(id => (JsonNode)id)]);
        }

        return new JsonObject
        {
            ["id"] = NewId(),
            ["timestamp"] = Clock().ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["workspace_id"] = WorkspaceId,
            ["workspace_name"] = "Pipeline Studio",
            ["subscription_id"] = SubscriptionId,
            ["integration_id"] = IntegrationId,
            ["type"] = type,
            ["authors"] = new JsonArray(new JsonObject { ["id"] = authorId, ["type"] = authorType }),
            ["accessible_by"] = new JsonArray(new JsonObject { ["id"] = BotUserId, ["type"] = "bot" }),
            ["attempt_number"] = 1,
            ["api_version"] = "2025-09-03",
            ["entity"] = new JsonObject { ["id"] = page.Id, ["type"] = "page" },
            ["data"] = data,
        };
    }
}
