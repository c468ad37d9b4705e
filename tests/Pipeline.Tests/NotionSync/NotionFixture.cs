using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Tests.Fakes;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.NotionSync;

/// <summary>
/// A silo (instant steps) and the gateway wired to a fake Notion: channel "studio" plans its videos in the fake's
/// database. The webhook subscription has been through its handshake and the token is confirmed.
/// </summary>
public sealed class NotionFixture : IAsyncLifetime
{
    public FakeNotion Notion { get; } = new();

    public FakeNotionDatabase Database { get; private set; } = null!;

    public PipelineHarness Harness { get; private set; } = null!;

    /// <summary>The confirmed verification token (a test may confirm another and set it here).</summary>
    public string SigningKey { get; set; } = "secret_first_token_0001";

    public string WebhookUrl => new Uri(Harness.Api.BaseAddress!, "/webhook/notion").ToString();

    public async Task InitializeAsync()
    {
        Database = Notion.AddDatabase("Studio videos");
        Harness = await PipelineHarness.StartAsync(ChannelsYaml(Database.DatabaseId), siloEnvironment: new Dictionary<string, string>(Notion.Environment)
        {
            ["PIPELINE_STEP_EXECUTOR"] = "instant",
        });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await Notion.SendHandshakeAsync(WebhookUrl, SigningKey)).StatusCode);
        using var confirmed = await Harness.Api.PostAsJsonAsync("/notion/webhook/confirm", new { verification_token = SigningKey });
        Assert.True(confirmed.IsSuccessStatusCode, await confirmed.Content.ReadAsStringAsync());
    }

    public static string ChannelsYaml(string databaseId) => $$"""
        providers:
          notion: { requests_per_second: 3 }
        channels:
          - id: studio
            name: Studio
            max_concurrent_videos: 50
            notion: { database_id: "{{databaseId}}" }
        """;

    public async Task DisposeAsync()
    {
        await Harness.DisposeAsync();
        await Notion.DisposeAsync();
    }

    /// <summary>A page as a person makes it.</summary>
    public string AddPage(string title, string status = "Draft") =>
        Notion.AddPage(Database.DataSourceId, new Dictionary<string, object?> { ["Name"] = title, ["Status"] = status, ["Topic"] = $"About {title}" });

    /// <summary>Sends the events made since the last call, each once, signed.</summary>
    public async Task DeliverEventsAsync()
    {
        foreach (var notionEvent in Notion.TakeEvents())
        {
            await SendAsync(notionEvent);
        }
    }

    /// <summary>The events a person's edits made since the last call (Pipeline's own writes make events too; those are dropped).</summary>
    public IReadOnlyList<JsonObject> PersonEvents() =>
        [.. Notion.TakeEvents().Where(e => e["authors"]!.AsArray().All(a => a!["id"]!.GetValue<string>() == FakeNotion.PersonId))];

    public async Task SendAsync(JsonObject notionEvent)
    {
        using var response = await Notion.SendWebhookAsync(WebhookUrl, notionEvent, SigningKey);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    public async Task<JsonElement> SweepAsync()
    {
        // Every request of a sweep waits its turn at 3 a second: a big database takes minutes.
        using var client = new HttpClient { BaseAddress = Harness.Api.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = Harness.Api.DefaultRequestHeaders.Authorization;
        using var response = await client.PostAsync("/notion/sweep", null);
        var body = await PipelineHarness.ReadJsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    /// <summary>The statuses Pipeline wrote to a page, in order.</summary>
    public IReadOnlyList<string> StatusesWritten(string pageId) =>
        [.. Notion.RequestsTo("PATCH", "/v1/pages/")
            .Where(r => r.Status == 200 && r.Request.Path.EndsWith(pageId, StringComparison.OrdinalIgnoreCase))
            .Select(r => r.Request.Json().GetProperty("properties").GetProperty("Status"))
            .Select(s => (s.TryGetProperty("status", out var v) ? v : s.GetProperty("select")).GetProperty("name").GetString()!)];

    public Task<string> StatusOfAsync(string taskId) => Harness.StatusOfAsync(taskId);
}
