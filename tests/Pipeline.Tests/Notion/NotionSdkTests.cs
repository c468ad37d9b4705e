using System.Text;
using System.Text.Json;
using Pipeline.Grains.Abstractions.Notion;
using Pipeline.Grains.Notion;
using Pipeline.Tests.Fakes;

namespace Pipeline.Tests.Notion;

/// <summary>
/// The fake Notion driven by the official JavaScript SDK (@notionhq/client from npm): if the SDK can query
/// it with filters, sorts and cursors, read and update pages, list blocks, recognise its errors and retry its
/// 429, the fake speaks Notion's wire format — and what our client is tested against is faithful.
/// </summary>
public sealed class NotionSdkTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 9, 0, 15, TimeSpan.Zero);

    private readonly FakeNotion _notion = new() { Clock = () => Start };

    [Fact]
    public async Task The_official_sdk_queries_reads_updates_and_lists_blocks_on_the_fake()
    {
        var db = _notion.AddDatabase("Northern Forests");
        string Row(string name, string status, string? plan = null) => _notion.AddPage(db.DataSourceId,
            new Dictionary<string, object?> { ["Name"] = name, ["Status"] = status, ["Topic"] = $"{name} topic" }, plan);
        var elk = Row("Elk", "Queued");
        var bear = Row("Bear", "Queued");
        Row("Lynx", "Draft");
        var moose = Row("Moose", "Queued", plan: "{\"title\": \"Moose in winter ❄\"}");
        var fox = Row("Fox", "Queued");
        var crane = Row("Crane", "Queued");
        _notion.Clock = () => Start.AddMinutes(2);
        _notion.FailNext(429, retryAfter: "1", pathPrefix: "/v1/pages/");
        var webhookBody = JsonSerializer.Serialize(_notion.PageEvent(NotionWebhookEventTypes.PagePropertiesUpdated, moose, ["Status"])).Replace("}", ", \"note\": \"🦌\"}", StringComparison.Ordinal);
        const string webhookKey = "secret_sdk_check_key";

        var result = await NotionSdk.RunAsync("sdk-check.cjs", new
        {
            version = NotionOptions.DefaultVersion,
            databaseId = db.DatabaseId,
            since = Start.AddSeconds(-15).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            pageId = moose,
            missingPageId = Guid.NewGuid().ToString(),
            webhookBody,
            webhookKey,
            fakeSignature = FakeNotion.Sign(Encoding.UTF8.GetBytes(webhookBody), webhookKey),
        }, _notion.Environment);

        // Query: the filter, the sort and three pages of two.
        Assert.Equal((db.DataSourceId, "status"), (result.GetProperty("dataSourceId").GetString(), result.GetProperty("statusType").GetString()));
        var rows = result.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal([bear, crane, elk, fox, moose], rows.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(["Bear", "Crane", "Elk", "Fox", "Moose"], rows.Select(r => r.GetProperty("name").GetString()));
        Assert.All(rows, r => Assert.True(r.GetProperty("full").GetBoolean()));
        Assert.Equal(3, _notion.RequestsTo("POST", $"/v1/data_sources/{db.DataSourceId}/query").Count);

        // Retrieve, after the SDK waited out the injected 429.
        var page = result.GetProperty("page");
        Assert.Equal((moose, true, "Moose", "Queued", "Moose topic", false, "data_source_id"),
            (page.GetProperty("id").GetString(), page.GetProperty("full").GetBoolean(), page.GetProperty("name").GetString(),
             page.GetProperty("status").GetString(), page.GetProperty("topic").GetString(), page.GetProperty("inTrash").GetBoolean(),
             page.GetProperty("parentType").GetString()));
        Assert.Equal([429, 200], _notion.RequestsTo("GET", "/v1/pages/").Take(2).Select(r => r.Status));

        // Update: what the SDK wrote, our client reads back.
        var updated = result.GetProperty("updated");
        Assert.Equal(("Claimed", "written by the SDK", 0.5m, "https://youtu.be/sdk", "2026-05-01T09:02:00.000Z"),
            (updated.GetProperty("status").GetString(), updated.GetProperty("error").GetString(), updated.GetProperty("cost").GetDecimal(),
             updated.GetProperty("url").GetString(), updated.GetProperty("lastEditedTime").GetString()));
        var reread = await NotionClients.For(_notion).GetPageAsync(moose);
        Assert.Equal(("Claimed", "written by the SDK", 1m, "High", true), (reread.Text("Status"), reread.Text("Error"),
            reread.Property<NotionNumber>("Retry Count")!.Value, reread.Text("Priority"), reread.Property<NotionCheckbox>("Auto Approve")!.Checked));
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero), reread.Property<NotionDate>("Updated")!.Start);

        // The bot user the integration's edits are authored by (events by it alone are our own writes coming back), for the SDK and for our client.
        Assert.Equal((FakeNotion.BotUserId, "bot"), (result.GetProperty("me").GetProperty("id").GetString(), result.GetProperty("me").GetProperty("type").GetString()));
        Assert.Equal(FakeNotion.BotUserId, await NotionClients.For(_notion).GetOwnUserIdAsync());

        // Blocks, one per request, and the plan in its code block.
        var blocks = result.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(["paragraph", "code"], blocks.Select(b => b.GetProperty("type").GetString()));
        Assert.All(blocks, b => Assert.True(b.GetProperty("full").GetBoolean()));
        Assert.Equal(("{\"title\": \"Moose in winter ❄\"}", "json"), (blocks[1].GetProperty("text").GetString(), blocks[1].GetProperty("language").GetString()));

        // Errors: the SDK recognises the fake's error bodies as Notion's.
        var missing = result.GetProperty("missing");
        Assert.Equal((true, "object_not_found", 404), (missing.GetProperty("api").GetBoolean(), missing.GetProperty("code").GetString(), missing.GetProperty("status").GetInt32()));
        var invalid = result.GetProperty("invalid");
        Assert.Equal((true, "validation_error", 400), (invalid.GetProperty("api").GetBoolean(), invalid.GetProperty("code").GetString(), invalid.GetProperty("status").GetInt32()));

        // Webhook signatures: the SDK's, the fake's and ours agree.
        Assert.Equal(NotionWebhookSignature.Compute(Encoding.UTF8.GetBytes(webhookBody), webhookKey), result.GetProperty("signature").GetString());
        Assert.True(result.GetProperty("fakeSignatureValid").GetBoolean());

        // Every request carried the token and the version asked for.
        Assert.All(_notion.Requests, r => Assert.Equal(("Bearer " + FakeNotion.Token, NotionOptions.DefaultVersion),
            (r.Request.Header("Authorization"), r.Request.Header("Notion-Version"))));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _notion.DisposeAsync();
}
