using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Storage;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Grains.Tasks;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Workflow;

/// <summary>
/// The read-model writer on a real PostgreSQL: writes made at the same time share statements, each lands with its
/// history and row, a replay or a late write changes nothing, and one task's refused row fails only that task.
/// </summary>
public sealed class TaskWriterTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

    private readonly TestDatabase _database = new();
    private TaskWriter _writer = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _writer = new TaskWriter(_database.DataSource, NullLogger<TaskWriter>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Writes_made_at_once_share_statements_and_each_lands_with_its_history_and_row()
    {
        var tasks = Enumerable.Range(0, 300).Select(i => Queued($"t{i:D3}", $"Video {i}")).ToList();

        await Task.WhenAll(tasks.Select(t => _writer.WriteAsync(t, t.UnsyncedTransitions)));

        Assert.Equal(600, await _database.ScalarAsync<long>("SELECT count(*) FROM task_transitions WHERE by_whom = 'ana'"));
        Assert.Equal(300, await _database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE status = 'queued' AND seq = 1"));
        Assert.Equal("Video 42|alpha", await _database.ScalarAsync<string>("SELECT title || '|' || channel_id FROM tasks WHERE task_id = 't042'"));
        var (writes, statements) = _writer.Written;
        Assert.Equal(300, writes);
        Assert.True(statements <= 60, $"300 writes made at once took {statements} statements");
    }

    [Fact]
    public async Task A_replayed_or_late_write_changes_nothing_and_a_drifted_row_is_put_right()
    {
        var task = Queued("replayed", "Bears");
        await _writer.WriteAsync(task, task.UnsyncedTransitions);
        var queued = task with { UnsyncedTransitions = [.. task.UnsyncedTransitions] };
        Moved(task, WorkflowStatus.Claimed);
        await _writer.WriteAsync(task, task.UnsyncedTransitions[^1..]);

        // The outbox of the earlier state again (a crash before it was known to be written), and a drift by hand.
        await _writer.WriteAsync(queued, queued.UnsyncedTransitions);
        Assert.Equal("claimed|2", await _database.ScalarAsync<string>("SELECT status || '|' || seq FROM tasks WHERE task_id = 'replayed'"));
        Assert.Equal("draft,queued,claimed", await _database.ScalarAsync<string>(
            "SELECT string_agg(to_status, ',' ORDER BY seq) FROM task_transitions WHERE task_id = 'replayed'"));

        await using (var drift = _database.DataSource.CreateCommand("UPDATE tasks SET title = 'x' WHERE task_id = 'replayed'"))
        {
            await drift.ExecuteNonQueryAsync();
        }

        await _writer.WriteAsync(task, []);
        Assert.Equal("Bears", await _database.ScalarAsync<string>("SELECT title FROM tasks WHERE task_id = 'replayed'"));
    }

    [Fact]
    public async Task A_row_the_database_refuses_fails_only_its_own_write()
    {
        await using (var rule = _database.DataSource.CreateCommand("ALTER TABLE tasks ADD CONSTRAINT no_poison CHECK (title <> 'poison')"))
        {
            await rule.ExecuteNonQueryAsync();
        }

        var tasks = Enumerable.Range(0, 40).Select(i => Queued($"p{i:D2}", i == 17 ? "poison" : $"Video {i}")).ToList();
        var writes = tasks.Select(t => _writer.WriteAsync(t, t.UnsyncedTransitions)).ToList();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => writes[17]);
        Assert.Equal("no_poison", refused.ConstraintName);
        await Task.WhenAll(writes.Where((_, i) => i != 17));
        Assert.Equal(39, await _database.ScalarAsync<long>("SELECT count(*) FROM tasks"));
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM task_transitions WHERE task_id = 'p17'"));
        Assert.Equal(78, await _database.ScalarAsync<long>("SELECT count(*) FROM task_transitions"));
    }

    [Fact]
    public async Task A_state_row_is_stored_with_its_history_and_row_and_a_stale_version_writes_none_of_them()
    {
        var task = Queued("cas", "Owls");
        Assert.Equal(1, await _writer.WriteAsync(task, task.UnsyncedTransitions, StateOf(task, expectedVersion: null)));
        Moved(task, WorkflowStatus.Claimed);
        Assert.Equal(2, await _writer.WriteAsync(task, task.UnsyncedTransitions[^1..], StateOf(task, expectedVersion: 1)));
        Assert.Equal("2|claimed", await _database.ScalarAsync<string>(
            "SELECT version || '|' || convert_from(payloadbinary, 'UTF8') FROM orleansstorage WHERE grainidextensionstring = 'cas'"));

        // Another activation still at version 1 (or a second first write) stores nothing, not even its history.
        var stale = task with { UnsyncedTransitions = [] };
        Moved(stale, WorkflowStatus.Draft);
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _writer.WriteAsync(stale, stale.UnsyncedTransitions, StateOf(stale, expectedVersion: 1)));
        Assert.Equal("1", conflict.CurrentEtag);
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            _writer.WriteAsync(stale, stale.UnsyncedTransitions, StateOf(stale, expectedVersion: null)));

        Assert.Equal("2|claimed", await _database.ScalarAsync<string>(
            "SELECT version || '|' || convert_from(payloadbinary, 'UTF8') FROM orleansstorage WHERE grainidextensionstring = 'cas'"));
        Assert.Equal("claimed|2", await _database.ScalarAsync<string>("SELECT status || '|' || seq FROM tasks WHERE task_id = 'cas'"));
        Assert.Equal("draft,queued,claimed", await _database.ScalarAsync<string>(
            "SELECT string_agg(to_status, ',' ORDER BY seq) FROM task_transitions WHERE task_id = 'cas'"));
    }

    [Fact]
    public async Task A_stale_state_fails_only_its_own_write_among_many_and_a_task_written_twice_at_once_lands_both_times()
    {
        var tasks = Enumerable.Range(0, 60).Select(i => Queued($"s{i:D2}", $"Video {i}")).ToList();
        await Task.WhenAll(tasks.Select(t => _writer.WriteAsync(t, t.UnsyncedTransitions, StateOf(t, expectedVersion: null))));
        foreach (var t in tasks)
        {
            Moved(t, WorkflowStatus.Claimed);
        }

        var writes = tasks.Select((t, i) => _writer.WriteAsync(t, t.UnsyncedTransitions[^1..], StateOf(t, expectedVersion: i == 23 ? 7 : 1))).ToList();
        // A repair of one of them made at the same moment: it waits for the next statement rather than fail this one.
        var repair = _writer.WriteAsync(tasks[5], []);

        await Assert.ThrowsAsync<InconsistentStateException>(() => writes[23]);
        Assert.All(await Task.WhenAll(writes.Where((_, i) => i != 23)), version => Assert.Equal(2, version));
        await repair;
        Assert.Equal(59, await _database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE status = 'claimed'"));
        Assert.Equal("queued|1", await _database.ScalarAsync<string>("SELECT status || '|' || seq FROM tasks WHERE task_id = 's23'"));
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM task_transitions WHERE task_id = 's23' AND seq = 2"));
        Assert.Equal(1, await _database.ScalarAsync<int>("SELECT version FROM orleansstorage WHERE grainidextensionstring = 's23'"));
    }

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
        UnsyncedTransitions =
        [
            new TransitionRecord(0, null, WorkflowStatus.Draft, Actor.Human, null, "created", "ana", Now),
            new TransitionRecord(1, WorkflowStatus.Draft, WorkflowStatus.Queued, Actor.Human, TransitionKind.Queue, null, "ana", Now),
        ],
    };

    // The payload is the status alone, enough to see which write landed; the key columns as for a task grain.
    private static TaskStateRow StateOf(TaskState task, int? expectedVersion) => new(
        task.TaskId, task.TaskId.GetHashCode(StringComparison.Ordinal), 17, "task", "test-service", expectedVersion,
        System.Text.Encoding.UTF8.GetBytes(WorkflowDefinition.Get(task.Status).Code));

    private static void Moved(TaskState task, WorkflowStatus to)
    {
        task.Sequence++;
        task.UnsyncedTransitions.Add(new TransitionRecord(task.Sequence, task.Status, to, Actor.System, null, null, null, Now));
        task.Status = to;
        task.UpdatedAt = Now.AddSeconds(task.Sequence);
    }
}
