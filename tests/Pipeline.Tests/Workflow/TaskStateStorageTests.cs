using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Storage;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Grains.Tasks;
using Pipeline.Silo.Hosting;
using Pipeline.TestSilo;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Workflow;

/// <summary>
/// The task grains' storage on a real PostgreSQL: each write lands with its history and read-model row or not at
/// all, writes made at the same time share statements, and one task's bad write never fails another's.
/// </summary>
public sealed class TaskStateStorageTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

    private readonly TestDatabase _database = new();
    private TaskStateWriter _writer = null!;
    private TaskStateStorage _storage = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _writer = new TaskStateWriter(_database.DataSource, NullLogger<TaskStateWriter>.Instance);
        _storage = new TaskStateStorage(_database.DataSource, _writer, new JsonGrainStateSerializer());
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Writes_made_at_once_share_statements_and_each_lands_with_its_history_and_row()
    {
        var states = Enumerable.Range(0, 300).Select(i => new GrainState<TaskState>(Queued($"t{i:D3}", $"Video {i}"))).ToList();

        await Task.WhenAll(states.Select(Write));

        Assert.All(states, s => Assert.Equal(("1", true), (s.ETag, s.RecordExists)));
        Assert.Equal(300, await _database.ScalarAsync<long>("SELECT count(*) FROM task_state WHERE version = 1"));
        Assert.Equal(300, await _database.ScalarAsync<long>("SELECT count(*) FROM task_transitions WHERE seq = 1 AND to_status = 'queued' AND by_whom = 'ana'"));
        Assert.Equal(300, await _database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE status = 'queued' AND seq = 1"));
        Assert.Equal("Video 42", await _database.ScalarAsync<string>("SELECT title FROM tasks WHERE task_id = 't042'"));
        var (writes, batches) = _writer.Written;
        Assert.Equal(300, writes);
        Assert.True(batches <= 60, $"300 writes made at once took {batches} statements");
    }

    [Fact]
    public async Task A_state_reads_back_as_written_without_its_transitions_which_are_in_the_history_instead()
    {
        var task = Queued("reread", "Bears");
        var written = new GrainState<TaskState>(task);
        await Write(written);
        task.UnsyncedTransitions.Clear();
        Moved(task, WorkflowStatus.Claimed);
        await Write(written);

        var read = new GrainState<TaskState>(new TaskState());
        await _storage.ReadStateAsync("task", Id("reread"), read);

        Assert.Equal(("2", true), (read.ETag, read.RecordExists));
        Assert.Equal(WorkflowStatus.Claimed, read.State!.Status);
        Assert.Equal("Bears", read.State.Title);
        Assert.Empty(read.State.UnsyncedTransitions);
        Assert.Equal("queued,claimed", await _database.ScalarAsync<string>(
            "SELECT string_agg(to_status, ',' ORDER BY seq) FROM task_transitions WHERE task_id = 'reread'"));
        Assert.Equal("claimed", await _database.ScalarAsync<string>("SELECT status FROM tasks WHERE task_id = 'reread'"));

        var missing = new GrainState<TaskState>(new TaskState());
        await _storage.ReadStateAsync("task", Id("never-written"), missing);
        Assert.Equal((null, false), (missing.ETag, missing.RecordExists));
    }

    [Fact]
    public async Task A_cleared_state_reads_back_as_none_and_a_stale_clear_is_refused()
    {
        var state = new GrainState<TaskState>(Queued("cleared", "Gone"));
        await Write(state);
        var stale = new GrainState<TaskState>(Queued("cleared", "Gone")) { ETag = "7" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync("task", Id("cleared"), stale));
        await _storage.ClearStateAsync("task", Id("cleared"), state);

        Assert.Equal(("2", false), (state.ETag, state.RecordExists));
        var read = new GrainState<TaskState>(new TaskState());
        await _storage.ReadStateAsync("task", Id("cleared"), read);
        Assert.Equal(("2", false), (read.ETag, read.RecordExists));
        Assert.Equal("", read.State!.TaskId);
    }

    [Fact]
    public async Task A_stale_write_changes_nothing_while_the_write_beside_it_lands()
    {
        var bystander = Queued("bystander", "Other");
        var mine = new GrainState<TaskState>(Queued("contended", "Mine"));
        var other = new GrainState<TaskState>(bystander);
        await Task.WhenAll(Write(mine), Write(other));

        // Another activation of "contended" that never saw its row, and a normal next move of "bystander".
        var staleTask = Queued("contended", "Stale");
        Moved(staleTask, WorkflowStatus.Claimed);
        var stale = new GrainState<TaskState>(staleTask);
        bystander.UnsyncedTransitions.Clear();
        Moved(bystander, WorkflowStatus.Claimed);
        var staleWrite = Write(stale);
        var otherWrite = Write(other);

        await Assert.ThrowsAsync<InconsistentStateException>(() => staleWrite);
        await otherWrite;
        Assert.Equal("2", other.ETag);
        Assert.Equal("queued|1|Mine|1", await _database.ScalarAsync<string>(
            "SELECT t.status || '|' || t.seq || '|' || t.title || '|' || s.version FROM tasks t JOIN task_state s USING (task_id) WHERE task_id = 'contended'"));
        Assert.Equal(1, await _database.ScalarAsync<long>("SELECT count(*) FROM task_transitions WHERE task_id = 'contended'"));
        Assert.Equal("claimed", await _database.ScalarAsync<string>("SELECT status FROM tasks WHERE task_id = 'bystander'"));
    }

    [Fact]
    public async Task A_write_the_database_refuses_fails_alone_and_leaves_nothing_behind()
    {
        await using (var rule = _database.DataSource.CreateCommand("ALTER TABLE tasks ADD CONSTRAINT no_poison CHECK (title <> 'poison')"))
        {
            await rule.ExecuteNonQueryAsync();
        }

        var states = Enumerable.Range(0, 40).Select(i => new GrainState<TaskState>(Queued($"p{i:D2}", i == 17 ? "poison" : $"Video {i}"))).ToList();
        var writes = states.Select(Write).ToList();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => writes[17]);
        Assert.Equal("no_poison", refused.ConstraintName);
        await Task.WhenAll(writes.Where((_, i) => i != 17));
        Assert.Equal(39, await _database.ScalarAsync<long>("SELECT count(*) FROM task_state"));
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM task_state WHERE task_id = 'p17'"));
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM task_transitions WHERE task_id = 'p17'"));
        Assert.Equal(39, await _database.ScalarAsync<long>("SELECT count(*) FROM tasks"));
    }

    [Fact]
    public async Task A_task_stored_by_the_ado_net_provider_before_sql_007_is_copied_and_carries_on()
    {
        await using var h = await PipelineHarness.StartAsync("""
            channels:
              - id: alpha
                name: Alpha
            """);
        var old = new TaskState
        {
            TaskId = "legacy-1", ChannelId = "alpha", Title = "From before", Status = WorkflowStatus.AssetsReady, Sequence = 7,
            CreatedAt = Now, UpdatedAt = Now,
            // A transition the old grain stored but had not yet written to the history (its outbox).
            UnsyncedTransitions = [new TransitionRecord(7, WorkflowStatus.GeneratingAssets, WorkflowStatus.AssetsReady, Actor.System, null, null, null, Now)],
        };
        await h.Orleans.GetGrain<ILegacyTaskStateGrain>(0).Write(old);
        Assert.Equal(1, await h.Database.ScalarAsync<long>("SELECT count(*) FROM orleansstorage WHERE graintypestring = 'task'"));

        // The database as it was before sql/007, holding that row; then the migration runs.
        await using (var undo = h.Database.DataSource.CreateCommand(
            "DROP TABLE task_state; DELETE FROM schema_migrations WHERE name = '007_task_state.sql'"))
        {
            await undo.ExecuteNonQueryAsync();
        }

        await h.Database.MigrateAsync(Repo.SqlDirectory);

        Assert.Equal("assets_ready", await h.StatusOfAsync("legacy-1"));
        var (status, body) = await h.ActAsync("legacy-1", "approve");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal("assets_ready", await h.Database.ScalarAsync<string>("SELECT to_status FROM task_transitions WHERE task_id = 'legacy-1' AND seq = 7"));
        Assert.True(await h.Database.ScalarAsync<int>("SELECT version FROM task_state WHERE task_id = 'legacy-1'") >= 2);
    }

    private Task Write(GrainState<TaskState> state) => _storage.WriteStateAsync("task", Id(state.State!.TaskId), state);

    private static GrainId Id(string taskId) => GrainId.Create("task", taskId);

    private static TaskState Queued(string id, string title) => new()
    {
        TaskId = id,
        ChannelId = "alpha",
        Title = title,
        Status = WorkflowStatus.Queued,
        Sequence = 1,
        CreatedAt = Now,
        UpdatedAt = Now,
        QueuedAt = Now,
        UnsyncedTransitions = [new TransitionRecord(1, WorkflowStatus.Draft, WorkflowStatus.Queued, Actor.Human, TransitionKind.Queue, null, "ana", Now)],
    };

    private static void Moved(TaskState state, WorkflowStatus to)
    {
        state.Sequence++;
        state.UnsyncedTransitions.Add(new TransitionRecord(state.Sequence, state.Status, to, Actor.System, null, null, null, Now));
        state.Status = to;
    }
}
