using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Tests.Infrastructure;
using static Pipeline.Grains.Abstractions.Workflow.WorkflowStatus;

namespace Pipeline.Tests.Workflow;

public sealed class ReadModelTests : IAsyncLifetime
{
    private const string Channels = """
        channels:
          - id: alpha
            name: Alpha
            max_concurrent_videos: 50
          - id: beta
            name: Beta
            max_concurrent_videos: 50
        """;

    private PipelineHarness _h = null!;

    public async Task InitializeAsync() => _h = await PipelineHarness.StartAsync(Channels);

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    [Fact]
    public async Task Listing_filters_by_status_and_channel_and_pages_with_a_total()
    {
        for (var i = 0; i < 12; i++)
        {
            await _h.CreateTaskAsync("alpha", $"Alpha {i}", queue: i < 5);
        }

        for (var i = 0; i < 7; i++)
        {
            await _h.CreateTaskAsync("beta", $"Beta {i}");
        }

        await Eventually.GetAsync(() => ListAsync("/tasks?channel=alpha&status=assets_ready"), p => p.GetProperty("total").GetInt32() == 5,
            TimeSpan.FromSeconds(30), "5 alpha tasks at assets_ready");

        var alphaDrafts = await ListAsync("/tasks?channel=alpha&status=draft&page_size=4&page=2");
        Assert.Equal(7, alphaDrafts.GetProperty("total").GetInt32());
        Assert.Equal(3, alphaDrafts.GetProperty("items").GetArrayLength());
        Assert.All(alphaDrafts.GetProperty("items").EnumerateArray(), t =>
        {
            Assert.Equal("alpha", t.GetProperty("channel_id").GetString());
            Assert.Equal("draft", t.GetProperty("status").GetString());
        });

        var allDrafts = await ListAsync("/tasks?status=draft&page_size=100");
        Assert.Equal(14, allDrafts.GetProperty("total").GetInt32());

        // Pages do not overlap and together hold every task once, newest change first.
        var seen = new List<string>();
        for (var page = 1; page <= 4; page++)
        {
            var items = (await ListAsync($"/tasks?page_size=5&page={page}")).GetProperty("items").EnumerateArray().ToList();
            seen.AddRange(items.Select(t => t.GetProperty("task_id").GetString()!));
        }

        Assert.Equal(19, seen.Count);
        Assert.Equal(19, seen.Distinct().Count());
    }

    [Fact]
    public async Task Bad_filters_are_refused_with_a_problem_naming_the_parameter()
    {
        using var response = await _h.Api.GetAsync("/tasks?status=not_a_status&page_size=0");
        var problem = await PipelineHarness.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("VALIDATION_FAILED", problem.GetProperty("code").GetString());
        Assert.Contains("status", problem.ToString());
        Assert.Contains("page_size", problem.ToString());
    }

    [Fact]
    public async Task Task_state_history_and_read_model_survive_a_silo_restart_and_a_drifted_row_is_repaired()
    {
        var id = await _h.CreateTaskAsync("beta", "Survivor", priority: 3, queue: true, plan: TestPlans.BearAndRiver);
        await _h.WaitForStatusAsync(id, AssetsReady);
        await _h.ActAsync(id, "reject", new { notes = "brighter", items = new[] { "bear" } });
        await _h.WaitForStatusAsync(id, AssetsReady);
        var before = await _h.GetTaskAsync(id);

        // Someone edits the read model by hand; the task's next activation puts it right.
        await using (var drift = _h.Database.DataSource.CreateCommand($"UPDATE tasks SET status = 'published', title = 'x' WHERE task_id = '{id}'"))
        {
            await drift.ExecuteNonQueryAsync();
        }

        var old = _h.Silos[0];
        await _h.StartSiloAsync();
        await _h.StopSiloAsync(old);

        // The new silo reads the state through the ADO.NET provider: rows TaskStateStorage wrote must be the
        // provider's own (same key hashes, payload and versions), or the task would come back empty.
        var state = await Eventually.GetAsync(() => _h.Orleans.GetGrain<ITaskGrain>(id).GetState(), _ => true,
            TimeSpan.FromSeconds(60), "the task answering after the restart");
        Assert.Equal(AssetsReady, state.Status);
        Assert.Equal(3, state.Priority);
        Assert.Equal("Survivor", state.Title);

        var after = await _h.GetTaskAsync(id);
        Assert.Equal(before.GetProperty("transitions").ToString(), after.GetProperty("transitions").ToString());
        await Eventually.GetAsync(() => _h.Database.ScalarAsync<string>($"SELECT status || '|' || title FROM tasks WHERE task_id = '{id}'"),
            row => row == "assets_ready|Survivor", TimeSpan.FromSeconds(10), "the drifted row repaired");

        // And it carries on from where it was.
        await _h.ActAsync(id, "approve");
        await _h.WaitForStatusAsync(id, VideoReady);
    }

    [Fact]
    public async Task A_move_the_database_refuses_to_store_is_answered_503_and_leaves_the_task_as_it_was()
    {
        var id = await _h.CreateTaskAsync("alpha", "Unlucky approval", queue: true);
        await _h.WaitForStatusAsync(id, AssetsReady);
        await using (var refuse = _h.Database.DataSource.CreateCommand(
            "ALTER TABLE orleansstorage ADD CONSTRAINT refuse_tasks CHECK (graintypestring <> 'task') NOT VALID"))
        {
            await refuse.ExecuteNonQueryAsync();
        }

        var (status, problem) = await _h.ActAsync(id, "approve");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("UNAVAILABLE", problem.GetProperty("code").GetString());

        await using (var allow = _h.Database.DataSource.CreateCommand("ALTER TABLE orleansstorage DROP CONSTRAINT refuse_tasks"))
        {
            await allow.ExecuteNonQueryAsync();
        }

        // The approval that could not be stored did not happen, not even in memory, nor in the history: the
        // state, its history and its row are one transaction.
        Assert.Equal("assets_ready", await _h.StatusOfAsync(id));
        Assert.Equal(0, await _h.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM task_transitions WHERE task_id = '{id}' AND to_status = 'assets_approved'"));
        var (retried, body) = await _h.ActAsync(id, "approve");
        Assert.True(retried == HttpStatusCode.OK, body.ToString());
        await _h.WaitForStatusAsync(id, VideoReady);
    }

    [Fact]
    public async Task A_step_whose_silo_was_killed_runs_again_on_another_silo_without_anyone_asking()
    {
        var id = await _h.CreateTaskAsync("beta", "Orphaned step");
        await _h.Script(id).Add(GeneratingAssets, new TestSilo.StepInstruction(TestSilo.StepBehaviour.Hold));
        await _h.ActAsync(id, "queue");
        await _h.WaitForStatusAsync(id, GeneratingAssets);

        var doomed = _h.Silos[0];
        await _h.StartSiloAsync();
        await _h.KillSiloAsync(doomed);

        // Nobody calls the task: its watchdog reminder wakes it on the surviving silo, which runs the
        // step again (the test's script lived on the dead silo, so this run succeeds).
        await _h.WaitForStatusAsync(id, AssetsReady, TimeSpan.FromSeconds(150));
    }

    private async Task<JsonElement> ListAsync(string url)
    {
        using var response = await _h.Api.GetAsync(url);
        var body = await PipelineHarness.ReadJsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        return body;
    }
}
