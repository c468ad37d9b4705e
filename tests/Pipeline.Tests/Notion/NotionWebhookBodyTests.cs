using System.Net;
using System.Text;
using System.Text.Json;
using Pipeline.Grains.Abstractions.Notion;
using Pipeline.Tests.Fakes;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Notion;

/// <summary>Webhook bodies: events built like Notion's, the handshake, and what is not a webhook at all; and the fake's sending.</summary>
public sealed class NotionWebhookBodyTests : IAsyncLifetime
{
    private readonly FakeNotion _notion = new();
    private FakeNotionDatabase _db = null!;
    private string _page = null!;

    public Task InitializeAsync()
    {
        _db = _notion.AddDatabase("Northern Forests");
        _page = _notion.AddPage(_db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Moose", ["Status"] = "Draft" });
        return Task.CompletedTask;
    }

    [Fact]
    public void A_properties_updated_event_reads_with_its_ids_parent_and_authors()
    {
        _notion.TakeEvents();
        _notion.EditAsPerson(_page, new Dictionary<string, object?> { ["Status"] = "Queued", ["Topic"] = "moose" });
        var sent = Assert.Single(_notion.TakeEvents());

        var read = NotionWebhookBody.Read(JsonSerializer.SerializeToUtf8Bytes(sent));

        Assert.Null(read.Error);
        Assert.False(read.IsHandshake);
        var e = read.Event!;
        Assert.Equal((sent["id"]!.GetValue<string>(), NotionWebhookEventTypes.PagePropertiesUpdated), (e.Id, e.Type));
        Assert.Equal(new NotionWebhookEntity(_page, "page"), e.Entity);
        Assert.True(e.IsAboutPage);
        Assert.Equal(new NotionWebhookParent(_db.DatabaseId, "database", _db.DataSourceId), e.Parent);
        Assert.Equal([_notion.PropertyId(_db.DataSourceId, "Status"), _notion.PropertyId(_db.DataSourceId, "Topic")], e.UpdatedProperties);
        Assert.Equal([new NotionWebhookAuthor(FakeNotion.PersonId, "person")], e.Authors);
        Assert.False(e.IsOnlyBy(FakeNotion.BotUserId));
        Assert.Equal((1, FakeNotion.WorkspaceId, FakeNotion.SubscriptionId, FakeNotion.IntegrationId, "2025-09-03"),
            (e.AttemptNumber, e.WorkspaceId, e.SubscriptionId, e.IntegrationId, e.ApiVersion));
        Assert.Equal(DateTimeKind.Utc, e.Timestamp.Kind);
    }

    [Fact]
    public async Task Our_own_update_comes_back_as_an_event_by_our_bot()
    {
        _notion.TakeEvents();
        await NotionClients.For(_notion).UpdatePagePropertiesAsync(_page,
            new Dictionary<string, Grains.Notion.NotionPropertyValue> { ["Status"] = new Grains.Notion.NotionStatus("Queued") });

        var e = NotionWebhookBody.Read(JsonSerializer.SerializeToUtf8Bytes(Assert.Single(_notion.TakeEvents()))).Event!;

        Assert.True(e.IsOnlyBy(FakeNotion.BotUserId));
        Assert.Equal([_notion.PropertyId(_db.DataSourceId, "Status")], e.UpdatedProperties);
    }

    [Fact]
    public void Created_and_deleted_events_read_too()
    {
        _notion.TrashAsPerson(_page);
        var events = _notion.TakeEvents().Select(e => NotionWebhookBody.Read(JsonSerializer.SerializeToUtf8Bytes(e)).Event!).ToList();

        Assert.Equal([NotionWebhookEventTypes.PageCreated, NotionWebhookEventTypes.PageDeleted], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Empty(e.UpdatedProperties));
        Assert.All(events, e => Assert.Equal(_page, e.Entity.Id));
    }

    [Fact]
    public void The_handshake_carries_only_the_verification_token()
    {
        var read = NotionWebhookBody.Read("""{"verification_token":"secret_tok3n"}"""u8);

        Assert.True(read.IsHandshake);
        Assert.Equal(("secret_tok3n", null, null), (read.VerificationToken, read.Event, read.Error));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "a JSON object")]
    [InlineData("{\"verification_token\": 5}", "verification_token")]
    [InlineData("{\"type\":\"page.created\",\"timestamp\":\"2026-05-01T10:00:00.000Z\",\"entity\":{\"id\":\"p\",\"type\":\"page\"}}", "id must be")]
    [InlineData("{\"id\":\"e\",\"type\":\"page.created\",\"timestamp\":\"yesterday\",\"entity\":{\"id\":\"p\",\"type\":\"page\"}}", "timestamp")]
    [InlineData("{\"id\":\"e\",\"type\":\"page.created\",\"timestamp\":\"2026-05-01T10:00:00.000Z\"}", "entity must be")]
    [InlineData("{\"id\":\"e\",\"type\":\"page.created\",\"timestamp\":\"2026-05-01T10:00:00.000Z\",\"entity\":{\"type\":\"page\"}}", "entity.id")]
    [InlineData("{\"id\":\"e\",\"timestamp\":\"2026-05-01T10:00:00.000Z\",\"entity\":{\"id\":\"p\",\"type\":\"page\"},\"verification_token\":\"x\"}", "type must be")]
    public void What_is_neither_an_event_nor_a_handshake_says_why(string body, string reason)
    {
        var read = NotionWebhookBody.Read(Encoding.UTF8.GetBytes(body));

        Assert.Null(read.Event);
        Assert.False(read.IsHandshake);
        Assert.Contains(reason, read.Error);
    }

    [Fact]
    public void Unknown_event_types_and_fields_still_read()
    {
        var read = NotionWebhookBody.Read("""
            {"id":"e9","type":"data_source.schema_updated","timestamp":"2026-05-01T10:00:00+02:00","future_field":{"a":[1]},
             "entity":{"id":"ds","type":"data_source"},"authors":[{"id":"a1","type":"agent"},{"type":"person"}],"attempt_number":3}
            """u8);

        var e = read.Event!;
        Assert.Equal(("data_source.schema_updated", 3, false), (e.Type, e.AttemptNumber, e.IsAboutPage));
        Assert.Equal(new DateTime(2026, 5, 1, 8, 0, 0, DateTimeKind.Utc), e.Timestamp);
        Assert.Equal([new NotionWebhookAuthor("a1", "agent")], e.Authors);
        Assert.Null(e.Parent);
    }

    [Fact]
    public async Task The_fake_sends_the_handshake_unsigned_and_events_signed_over_the_exact_bytes()
    {
        await using var receiver = new WebhookReceiver();
        var payload = _notion.PageEvent(NotionWebhookEventTypes.PagePropertiesUpdated, _page, ["Status"]);

        using (await _notion.SendHandshakeAsync(receiver.Url, "secret_tok3n")) { }
        using (await _notion.SendWebhookAsync(receiver.Url, payload, "secret_tok3n")) { }
        using (await _notion.SendRawWebhookAsync(receiver.Url, "{}"u8.ToArray(), "sha256=00")) { }

        var (handshake, signed, wrong) = (receiver.Received[0], receiver.Received[1], receiver.Received[2]);
        Assert.Null(handshake.Signature);
        Assert.Equal("secret_tok3n", NotionWebhookBody.Read(handshake.Body).VerificationToken);
        Assert.True(NotionWebhookSignature.IsValid(signed.Body, signed.Signature, "secret_tok3n"));
        Assert.Equal(payload["id"]!.GetValue<string>(), NotionWebhookBody.Read(signed.Body).Event!.Id);
        Assert.False(NotionWebhookSignature.IsValid(wrong.Body, wrong.Signature, "secret_tok3n"));
        Assert.Equal("application/json", signed.ContentType);
    }

    public async Task DisposeAsync() => await _notion.DisposeAsync();

    /// <summary>Takes webhooks on 127.0.0.1 and keeps what came.</summary>
    private sealed class WebhookReceiver : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public WebhookReceiver()
        {
            Url = $"http://127.0.0.1:{FreePort.Next()}/webhook/notion";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _serving = ServeAsync();
        }

        public string Url { get; }

        public List<(byte[] Body, string? Signature, string? ContentType)> Received { get; } = [];

        private async Task ServeAsync()
        {
            while (true)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (Received)
                {
                    Received.Add((body.ToArray(), context.Request.Headers[NotionWebhookSignature.HeaderName], context.Request.ContentType));
                }

                context.Response.StatusCode = 202;
                context.Response.Close();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Close();
            await _serving;
        }
    }
}
