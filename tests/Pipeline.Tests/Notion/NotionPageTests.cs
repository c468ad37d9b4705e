using System.Text.Json;
using Pipeline.Grains.Notion;
using Pipeline.Tests.Fakes;

namespace Pipeline.Tests.Notion;

/// <summary>Pages, their property values both ways, and the plan's code block, through our client against the fake Notion.</summary>
public sealed class NotionPageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 9, 0, 30, TimeSpan.Zero);

    private readonly FakeNotion _notion = new() { Clock = () => Start };
    private FakeNotionDatabase _db = null!;

    public Task InitializeAsync()
    {
        _db = _notion.AddDatabase("Wild Africa");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_page_reads_with_every_property_type_pipeline_uses()
    {
        var id = _notion.AddPage(_db.DataSourceId, new Dictionary<string, object?>
        {
            ["Name"] = "Lions at dawn 🦁",
            ["Status"] = "Assets Ready",
            ["Topic"] = "lions",
            ["Priority"] = "High",
            ["Retry Count"] = 2,
            ["Cost"] = 3.25m,
            ["YouTube URL"] = "https://youtu.be/abc",
            ["Updated"] = new DateTimeOffset(2026, 4, 30, 18, 15, 0, TimeSpan.Zero),
            ["Auto Approve"] = true,
        });

        var page = await NotionClients.For(_notion).GetPageAsync(id);

        Assert.Equal(id, page.Id);
        Assert.Equal((_db.DatabaseId, _db.DataSourceId, false), (page.DatabaseId, page.DataSourceId, page.InTrash));
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero), page.LastEditedTime);
        Assert.Equal("Lions at dawn 🦁", page.Property<NotionTitle>("Name")!.Text);
        Assert.Equal("Assets Ready", page.Property<NotionStatus>("Status")!.Name);
        Assert.Equal("lions", page.Property<NotionRichText>("Topic")!.Text);
        Assert.Equal("High", page.Property<NotionSelect>("Priority")!.Name);
        Assert.Equal(2m, page.Property<NotionNumber>("Retry Count")!.Value);
        Assert.Equal(3.25m, page.Property<NotionNumber>("Cost")!.Value);
        Assert.Equal("https://youtu.be/abc", page.Property<NotionUrl>("YouTube URL")!.Url);
        Assert.Equal(new DateTimeOffset(2026, 4, 30, 18, 15, 0, TimeSpan.Zero), page.Property<NotionDate>("Updated")!.Start);
        Assert.True(page.Property<NotionCheckbox>("Auto Approve")!.Checked);
        Assert.Null(page.Text("Error"));
        Assert.Null(page.Text("Story Direction"));
        Assert.Null(page.Property<NotionNumber>("Name"));
        Assert.Equal("Status", page.PropertyName(_notion.PropertyId(_db.DataSourceId, "Status")));
        Assert.Equal("title", page.Properties["Name"].Id);
    }

    [Fact]
    public async Task Updating_properties_writes_notion_json_and_reads_back_the_same()
    {
        var id = _notion.AddPage(_db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Hippos", ["Status"] = "Queued", ["YouTube URL"] = "https://old" });
        _notion.Clock = () => Start.AddMinutes(3);
        var longError = string.Concat(Enumerable.Repeat("ffmpeg said no. ", 300)); // 4,800 characters: three pieces
        var client = NotionClients.For(_notion);

        var updated = await client.UpdatePagePropertiesAsync(id, new Dictionary<string, NotionPropertyValue>
        {
            ["Status"] = new NotionStatus("Video Error"),
            ["Error"] = new NotionRichText(longError),
            ["Retry Count"] = new NotionNumber(3),
            ["Cost"] = new NotionNumber(1.234m),
            ["YouTube URL"] = new NotionUrl(null),
            ["Updated"] = new NotionDate(new DateTimeOffset(2026, 5, 1, 11, 3, 30, TimeSpan.FromHours(2))),
            ["Priority"] = new NotionSelect("Urgent"),
            ["Auto Approve"] = new NotionCheckbox(true),
            ["Name"] = new NotionTitle("Hippos at noon"),
        });
        var reread = await client.GetPageAsync(id);

        foreach (var page in new[] { updated, reread })
        {
            Assert.Equal("Video Error", page.Text("Status"));
            Assert.Equal(longError, page.Text("Error"));
            Assert.Equal(3m, page.Property<NotionNumber>("Retry Count")!.Value);
            Assert.Equal(1.234m, page.Property<NotionNumber>("Cost")!.Value);
            Assert.Null(page.Text("YouTube URL"));
            Assert.Equal(new DateTimeOffset(2026, 5, 1, 9, 3, 30, TimeSpan.Zero), page.Property<NotionDate>("Updated")!.Start);
            Assert.Equal("Urgent", page.Text("Priority"));
            Assert.True(page.Property<NotionCheckbox>("Auto Approve")!.Checked);
            Assert.Equal("Hippos at noon", page.Text("Name"));
            Assert.Equal(Start.AddMinutes(3).AddSeconds(-30), page.LastEditedTime);
        }

        Assert.Equal("Video Error", _notion.Text(id, "Status"));
        var body = Assert.Single(_notion.RequestsTo("PATCH", "/v1/pages/")).Request.Json().GetProperty("properties");
        Assert.Equal("Video Error", body.GetProperty("Status").GetProperty("status").GetProperty("name").GetString());
        Assert.Equal(3, body.GetProperty("Error").GetProperty("rich_text").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("YouTube URL").GetProperty("url").ValueKind);
        Assert.Equal("2026-05-01T09:03:30.000Z", body.GetProperty("Updated").GetProperty("date").GetProperty("start").GetString());
    }

    [Fact]
    public async Task Text_is_cut_into_pieces_without_splitting_an_emoji()
    {
        var id = _notion.AddPage(_db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Owls" });
        var text = new string('a', 1_999) + "🦉" + new string('b', 10);

        var page = await NotionClients.For(_notion).UpdatePagePropertiesAsync(id,
            new Dictionary<string, NotionPropertyValue> { ["Error"] = new NotionRichText(text) });

        Assert.Equal(text, page.Text("Error"));
        var pieces = _notion.RequestsTo("PATCH", "/v1/pages/")[0].Request.Json().GetProperty("properties").GetProperty("Error").GetProperty("rich_text");
        Assert.Equal(1_999, pieces[0].GetProperty("text").GetProperty("content").GetString()!.Length);
    }

    [Fact]
    public async Task A_status_option_that_does_not_exist_is_refused_for_good_and_nothing_changes()
    {
        var id = _notion.AddPage(_db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Owls", ["Status"] = "Queued" });

        var e = await Assert.ThrowsAsync<NotionException>(() => NotionClients.For(_notion, maxRetries: 2).UpdatePagePropertiesAsync(id,
            new Dictionary<string, NotionPropertyValue> { ["Status"] = new NotionStatus("Halfway"), ["Error"] = new NotionRichText("x") }));

        Assert.Equal((System.Net.HttpStatusCode.BadRequest, "validation_error", false), (e.Status, e.Code, e.IsTransient));
        Assert.Contains("Halfway", e.NotionMessage);
        Assert.Equal("Queued", _notion.Text(id, "Status"));
        Assert.Null(_notion.Text(id, "Error"));
        Assert.Single(_notion.RequestsTo("PATCH", "/v1/pages/"));
    }

    [Fact]
    public async Task A_page_id_without_dashes_works_and_one_that_is_not_an_id_is_never_sent()
    {
        var id = _notion.AddPage(_db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Owls" });
        var client = NotionClients.For(_notion);

        var page = await client.GetPageAsync(id.Replace("-", "", StringComparison.Ordinal));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetPageAsync("../databases/x"));

        Assert.Equal(id, page.Id);
        Assert.Single(_notion.Requests);
    }

    [Fact]
    public async Task The_plan_is_the_json_code_block_read_whole_across_pieces_and_pages_of_blocks()
    {
        var plan = JsonSerializer.Serialize(new
        {
            title = "Lions",
            scenes = Enumerable.Range(1, 40).Select(i => new { id = $"scene-{i:00}", narration = new string('n', 100) }),
        });
        Assert.True(plan.Length > 4_000);
        var id = _notion.AddPage(_db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Lions" });
        for (var i = 0; i < 120; i++)
        {
            _notion.AddBlock(id, "paragraph", $"note {i}");
        }

        _notion.AddBlock(id, "code", "print('not the plan')", "python");
        _notion.AddBlock(id, "code", plan, "json");
        var client = NotionClients.For(_notion);

        var found = await client.FindJsonCodeBlockAsync(id);
        var blocks = await client.GetBlockChildrenAsync(id).ToListAsync();

        Assert.Equal(plan, found);
        Assert.Equal(122, blocks.Count);
        Assert.Equal(("code", "python"), (blocks[120].Type, blocks[120].CodeLanguage));
        Assert.Equal(4, _notion.RequestsTo("GET", $"/v1/blocks/{id}/children").Count); // two pages of blocks, twice
    }

    [Fact]
    public async Task A_code_block_left_in_plain_text_counts_when_it_is_a_json_object()
    {
        var withPlan = _notion.AddPage(_db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "A" });
        _notion.AddBlock(withPlan, "code", "not json", "plain text");
        _notion.AddBlock(withPlan, "code", "{\"title\": \"A\"}", "plain text");
        var without = _notion.AddPage(_db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "B" });
        _notion.AddBlock(without, "paragraph", "{\"title\": \"not code\"}");
        var client = NotionClients.For(_notion);

        Assert.Equal("{\"title\": \"A\"}", await client.FindJsonCodeBlockAsync(withPlan));
        Assert.Null(await client.FindJsonCodeBlockAsync(without));
        Assert.Equal("{\"title\":\"x\"}", await client.FindJsonCodeBlockAsync(_notion.AddPage(_db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "C" }, "{\"title\":\"x\"}")));
    }

    [Fact]
    public async Task Every_request_carries_the_token_the_version_and_json()
    {
        var id = _notion.AddPage(_db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Owls" });

        await NotionClients.For(_notion).GetPageAsync(id);
        await NotionClients.For(_notion, version: "2025-09-03").UpdatePagePropertiesAsync(id,
            new Dictionary<string, NotionPropertyValue> { ["Status"] = new NotionStatus("Queued") });

        var (get, patch) = (_notion.Requests[0].Request, _notion.Requests[1].Request);
        Assert.Equal(("Bearer " + FakeNotion.Token, NotionOptions.DefaultVersion), (get.Header("Authorization"), get.Header("Notion-Version")));
        Assert.Equal("2025-09-03", patch.Header("Notion-Version"));
        Assert.StartsWith("application/json", patch.Header("Content-Type"));
    }

    [Fact]
    public async Task A_trashed_page_reads_as_in_the_trash_whether_the_version_says_archived_too_or_not()
    {
        var id = _notion.AddPage(_db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Owls" });
        _notion.TrashAsPerson(id);

        var old = await NotionClients.For(_notion, version: "2025-09-03").GetPageAsync(id);
        var current = await NotionClients.For(_notion).GetPageAsync(id);

        Assert.True(old.InTrash);
        Assert.True(current.InTrash);
    }

    public async Task DisposeAsync() => await _notion.DisposeAsync();
}
