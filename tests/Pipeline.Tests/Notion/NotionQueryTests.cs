using Pipeline.Grains.Notion;
using Pipeline.Tests.Fakes;

namespace Pipeline.Tests.Notion;

/// <summary>Queries through our client against the fake Notion: cursors, the filters Pipeline uses, sorts, databases and data sources.</summary>
public sealed class NotionQueryTests : IAsyncLifetime
{
    private readonly FakeNotion _notion = new();
    private FakeNotionDatabase _db = null!;

    public Task InitializeAsync()
    {
        _db = _notion.AddDatabase("Northern Forests");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_query_follows_the_cursors_across_pages_of_results_and_keeps_the_filter_on_each()
    {
        var queued = Enumerable.Range(1, 7).Select(i => AddRow($"Queued {i}", "Queued")).ToList();
        AddRow("A draft", "Draft");
        AddRow("Another draft", "Draft");

        var pages = await NotionClients.For(_notion)
            .QueryDataSourceAsync(_db.DataSourceId, new NotionQuery(NotionFilter.StatusEquals("Status", "Queued"), PageSize: 3))
            .ToListAsync();

        Assert.Equal(queued, pages.Select(p => p.Id));
        var requests = _notion.RequestsTo("POST", $"/v1/data_sources/{_db.DataSourceId}/query");
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal("Queued", r.Request.Json().GetProperty("filter").GetProperty("status").GetProperty("equals").GetString()));
        Assert.All(requests, r => Assert.Equal(3, r.Request.Json().GetProperty("page_size").GetInt32()));
        Assert.False(requests[0].Request.Json().TryGetProperty("start_cursor", out _));
        Assert.NotEqual(requests[1].Request.Json().GetProperty("start_cursor").GetString(), requests[2].Request.Json().GetProperty("start_cursor").GetString());
    }

    [Fact]
    public async Task One_page_of_results_says_where_to_go_on()
    {
        Enumerable.Range(1, 5).ToList().ForEach(i => AddRow($"Row {i}", "Queued"));
        var client = NotionClients.For(_notion);

        var first = await client.QueryDataSourcePageAsync(_db.DataSourceId, new NotionQuery(PageSize: 4));
        var second = await client.QueryDataSourcePageAsync(_db.DataSourceId, new NotionQuery(PageSize: 4), first.NextCursor);

        Assert.Equal((4, true), (first.Results.Count, first.HasMore));
        Assert.NotNull(first.NextCursor);
        Assert.Equal((1, false, null), (second.Results.Count, second.HasMore, second.NextCursor));
    }

    [Fact]
    public async Task And_or_select_rich_text_and_last_edited_filters_pick_the_right_rows()
    {
        var start = new DateTimeOffset(2026, 5, 1, 9, 0, 30, TimeSpan.Zero);
        _notion.Clock = () => start;
        var wolves = AddRow("Wolves", "Queued", topic: "wolves", priority: "High");
        var owls = AddRow("Owls", "Queued", topic: "owls", priority: "Low");
        var bears = AddRow("Bears", "Draft", topic: "wolves", priority: "High");
        _notion.Clock = () => start.AddMinutes(5);
        _notion.EditAsPerson(owls, new Dictionary<string, object?> { ["Story Direction"] = "at night" });
        var client = NotionClients.For(_notion);

        async Task<List<string>> Ids(NotionFilter filter) =>
            [.. (await client.QueryDataSourceAsync(_db.DataSourceId, new NotionQuery(filter)).ToListAsync()).Select(p => p.Id)];

        Assert.Equal([wolves], await Ids(NotionFilter.And(NotionFilter.StatusEquals("Status", "Queued"), NotionFilter.RichTextEquals("Topic", "wolves"))));
        Assert.Equal([wolves, bears], await Ids(NotionFilter.SelectEquals("Priority", "High")));
        Assert.Equal([wolves, owls, bears], await Ids(NotionFilter.Or(NotionFilter.StatusEquals("Status", "Draft"), NotionFilter.SelectEquals("Priority", "Low"), NotionFilter.TitleEquals("Name", "Wolves"))));
        Assert.Equal([owls], await Ids(NotionFilter.LastEditedOnOrAfter(new DateTimeOffset(2026, 5, 1, 9, 5, 0, TimeSpan.Zero))));
        // Notion rounds edit times down to the minute: the edit at 9:05:30 shows as 9:05, which is before 9:05:10.
        Assert.Empty(await Ids(NotionFilter.LastEditedOnOrAfter(new DateTimeOffset(2026, 5, 1, 9, 5, 10, TimeSpan.Zero))));
        Assert.Equal([owls], await Ids(NotionFilter.And(NotionFilter.LastEditedOnOrAfter(start.AddMinutes(4)), NotionFilter.IsNotEmpty("Story Direction", "rich_text"))));
    }

    [Fact]
    public async Task Sorts_order_the_rows_across_pages()
    {
        var c = AddRow("Cranes", "Queued", priority: "Low");
        var a = AddRow("Aardvarks", "Queued", priority: "High");
        var b = AddRow("Bison", "Queued", priority: "High");
        var client = NotionClients.For(_notion);

        var byName = await client.QueryDataSourceAsync(_db.DataSourceId, new NotionQuery(Sorts: [NotionSort.ByProperty("Name")], PageSize: 2)).ToListAsync();
        var byPriorityThenNameDescending = await client.QueryDataSourceAsync(_db.DataSourceId,
            new NotionQuery(Sorts: [NotionSort.ByProperty("Priority", descending: true), NotionSort.ByProperty("Name", descending: true)])).ToListAsync();
        var newestFirst = await client.QueryDataSourceAsync(_db.DataSourceId, new NotionQuery(Sorts: [NotionSort.ByCreatedTime(descending: true)])).ToListAsync();

        Assert.Equal([a, b, c], byName.Select(p => p.Id));
        Assert.Equal([b, a, c], byPriorityThenNameDescending.Select(p => p.Id));
        Assert.Equal(3, newestFirst.Count);
        var sorts = _notion.RequestsTo("POST", "/v1/data_sources/")[^2].Request.Json().GetProperty("sorts");
        Assert.Equal(("Priority", "descending"), (sorts[0].GetProperty("property").GetString(), sorts[0].GetProperty("direction").GetString()));
    }

    [Fact]
    public async Task A_filter_of_the_wrong_property_type_is_a_permanent_validation_error()
    {
        AddRow("Wolves", "Queued");

        var e = await Assert.ThrowsAsync<NotionException>(() =>
            NotionClients.For(_notion).QueryDataSourceAsync(_db.DataSourceId, new NotionQuery(NotionFilter.SelectEquals("Status", "Queued"))).ToListAsync().AsTask());

        Assert.Equal((System.Net.HttpStatusCode.BadRequest, "validation_error", false), (e.Status, e.Code, e.IsTransient));
        Assert.Contains("does not match filter select", e.NotionMessage);
    }

    [Fact]
    public async Task Trashed_pages_are_left_out()
    {
        var kept = AddRow("Kept", "Queued");
        _notion.TrashAsPerson(AddRow("Gone", "Queued"));

        var pages = await NotionClients.For(_notion).QueryDataSourceAsync(_db.DataSourceId, NotionQuery.All).ToListAsync();

        Assert.Equal([kept], pages.Select(p => p.Id));
    }

    [Fact]
    public async Task A_database_is_queried_through_its_one_data_source_found_once()
    {
        var row = AddRow("Wolves", "Queued");
        var client = NotionClients.For(_notion);

        var first = await client.QueryDatabaseAsync(_db.DatabaseId, NotionQuery.All).ToListAsync();
        var second = await client.QueryDatabaseAsync(_db.DatabaseId.Replace("-", "", StringComparison.Ordinal), NotionQuery.All).ToListAsync();

        Assert.Equal([row], first.Select(p => p.Id));
        Assert.Equal([row], second.Select(p => p.Id));
        Assert.Equal(_db.DataSourceId, first[0].DataSourceId);
        Assert.Equal(_db.DatabaseId, first[0].DatabaseId);
        Assert.Single(_notion.RequestsTo("GET", $"/v1/databases/{_db.DatabaseId}"));
        Assert.Empty(_notion.RequestsTo("POST", "/v1/databases/"));
    }

    [Fact]
    public async Task On_the_legacy_version_a_database_is_queried_directly()
    {
        var row = AddRow("Wolves", "Queued");
        var client = NotionClients.For(_notion, version: "2022-06-28");

        var pages = await client.QueryDatabaseAsync(_db.DatabaseId, new NotionQuery(NotionFilter.StatusEquals("Status", "Queued"))).ToListAsync();
        var database = await client.GetDatabaseAsync(_db.DatabaseId);

        Assert.Equal([row], pages.Select(p => p.Id));
        Assert.Null(pages[0].DataSourceId);
        Assert.Single(_notion.RequestsTo("POST", $"/v1/databases/{_db.DatabaseId}/query"));
        Assert.Empty(database.DataSources);
        Assert.Equal("status", database.Properties["Status"].Type);
        Assert.All(_notion.Requests, r => Assert.Equal("2022-06-28", r.Request.Header("Notion-Version")));
    }

    [Fact]
    public async Task A_database_with_several_data_sources_must_be_named_by_data_source()
    {
        _notion.AddDataSource(_db.DatabaseId, "Archive", FakeNotion.PipelineSchema);

        var e = await Assert.ThrowsAsync<NotionException>(() =>
            NotionClients.For(_notion).QueryDatabaseAsync(_db.DatabaseId, NotionQuery.All).ToListAsync().AsTask());

        Assert.Equal((NotionException.AmbiguousDatabaseCode, false), (e.Code, e.IsTransient));
        Assert.Contains(_db.DataSourceId, e.Message);
    }

    [Fact]
    public async Task A_data_source_schema_names_the_types_and_options()
    {
        var source = await NotionClients.For(_notion).GetDataSourceAsync(_db.DataSourceId);

        Assert.Equal((_db.DataSourceId, _db.DatabaseId), (source.Id, source.DatabaseId));
        Assert.Equal("status", source.Properties["Status"].Type);
        Assert.Contains("Generating Assets", source.Properties["Status"].Options);
        Assert.Equal("title", source.Properties["Name"].Id);
        Assert.Equal("url", source.Properties["YouTube URL"].Type);
    }

    private string AddRow(string name, string status, string? topic = null, string? priority = null) =>
        _notion.AddPage(_db.DataSourceId, new Dictionary<string, object?>
        {
            ["Name"] = name,
            ["Status"] = status,
            ["Topic"] = topic,
            ["Priority"] = priority,
        });

    public async Task DisposeAsync() => await _notion.DisposeAsync();
}
