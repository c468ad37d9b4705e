using Pipeline.Grains.Abstractions.Notion;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.NotionSync;

/// <summary>The write-back is kept in storage and kept going by a reminder: a silo that dies with writes owed leaves them to the next.</summary>
public sealed class NotionRestartTests : IAsyncLifetime
{
    private readonly NotionFixture _fixture = new();

    public Task InitializeAsync() => _fixture.InitializeAsync();

    public Task DisposeAsync() => _fixture.DisposeAsync();

    [Fact]
    public async Task A_write_owed_to_notion_when_the_silo_dies_is_made_after_it()
    {
        var harness = _fixture.Harness;
        var page = _fixture.AddPage("Owed");
        await _fixture.DeliverEventsAsync();
        await Eventually.GetAsync(() => _fixture.StatusOfAsync(page), s => s == "draft", TimeSpan.FromSeconds(60), "the task made from the new page");

        // Notion is down for page writes; the task moves on and its page grain owes the page the new status.
        _fixture.Notion.FailNext(503, times: 10_000, pathPrefix: "/v1/pages/");
        var (queued, body) = await harness.ActAsync(page, "queue");
        Assert.True(queued == System.Net.HttpStatusCode.OK, body.ToString());
        await harness.WaitForStatusAsync(page, WorkflowStatus.AssetsReady, TimeSpan.FromSeconds(60));
        var owing = await Eventually.GetAsync(() => harness.Orleans.GetGrain<INotionPageGrain>(page).GetState(),
            s => s.Failures >= 1 && s.Desired?.Status == WorkflowStatus.AssetsReady, TimeSpan.FromSeconds(60), "a failed write of Assets Ready");
        Assert.True(owing.DesiredVersion > owing.SentVersion);
        await Eventually.GetAsync(() => harness.Database.ScalarAsync<long>(
                $"SELECT count(*) FROM orleansreminderstable WHERE remindername = 'notion-send' AND grainid LIKE '%{page}%'"),
            n => n == 1, TimeSpan.FromSeconds(30), "the page grain's send reminder stored");

        // A second silo joins, the first dies with the write owed (nothing in memory survives), Notion comes back.
        var doomed = harness.Silos[0];
        await harness.StartSiloAsync();
        await harness.KillSiloAsync(doomed);
        _fixture.Notion.Recover();

        // Nothing else touches the task or the page: only the stored state and its reminder can make the write.
        await Eventually.GetAsync(() => Task.FromResult(_fixture.Notion.Text(page, "Status")), s => s == "Assets Ready", TimeSpan.FromMinutes(3),
            "the owed write made by the new silo");
        // The fake shows the write as it arrives; the grain records it when the answer is back.
        await Eventually.GetAsync(() => harness.Orleans.GetGrain<INotionPageGrain>(page).GetState(),
            s => s.Failures == 0 && s.SentVersion == s.DesiredVersion, TimeSpan.FromSeconds(30), "the page grain owing nothing");
    }
}
