using Pipeline.Grains.Storage;

namespace Pipeline.Tests.Storage;

/// <summary>The group commit the channel, limiter and Notion page grains write through: pure logic, on a state whose writes the test lets finish.</summary>
public sealed class GroupCommitTests
{
    // The grain's live state, its storage, and the group commit between them (xunit makes them anew for each test).
    private readonly List<int> _live = [];
    private readonly HeldStorage _storage = new();
    private readonly GroupCommit<List<int>> _commit;

    public GroupCommitTests() => _commit = new GroupCommit<List<int>>(_storage, () => [.. _live]);

    [Fact]
    public async Task Changes_made_while_a_write_is_at_the_database_share_the_next_write_and_no_caller_returns_before_its_change_is_stored()
    {
        _live.Add(1);
        var first = _commit.WriteAsync();
        _live.Add(2);
        var second = _commit.WriteAsync();
        _live.Add(3);
        var third = _commit.WriteAsync();

        Assert.Equal([[1]], _storage.Started);
        Assert.False(first.IsCompleted);

        _storage.FinishNext();
        await first;
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);
        Assert.Equal([[1], [1, 2, 3]], _storage.Started);

        _storage.FinishNext();
        await Task.WhenAll(second, third);
        Assert.Equal(2, _storage.Started.Count);
        Assert.Equal([1, 2, 3], _storage.State);
    }

    [Fact]
    public async Task A_failed_write_fails_its_callers_and_the_next_write_stores_everything_again()
    {
        _live.Add(1);
        var first = _commit.WriteAsync();
        _live.Add(2);
        var second = _commit.WriteAsync();

        _storage.FailNext(new InvalidOperationException("connection lost"));
        Assert.Equal("connection lost", (await Assert.ThrowsAsync<InvalidOperationException>(() => first)).Message);
        Assert.Equal([[1], [1, 2]], _storage.Started);

        _storage.FinishNext();
        await second;
        Assert.Equal([1, 2], _storage.State);
    }

    [Fact]
    public async Task The_state_being_written_is_a_copy_the_grain_can_go_on_changing()
    {
        _live.Add(1);
        var write = _commit.WriteAsync();
        _live.Add(2);

        Assert.Equal([1], _storage.State);
        _storage.FinishNext();
        await write;
        Assert.Equal([1], _storage.State);
        Assert.NotSame(_live, _storage.State);
    }

    /// <summary>Records the state each write began with; each write waits for the test to finish or fail it.</summary>
    private sealed class HeldStorage : IPersistentState<List<int>>
    {
        private readonly Queue<TaskCompletionSource> _writes = new();

        public List<int> State { get; set; } = [];

        public List<List<int>> Started { get; } = [];

        public string? Etag => null;

        public bool RecordExists => Started.Count > 0;

        public Task WriteStateAsync()
        {
            Started.Add([.. State]);
            var write = new TaskCompletionSource();
            _writes.Enqueue(write);
            return write.Task;
        }

        public void FinishNext() => _writes.Dequeue().SetResult();

        public void FailNext(Exception e) => _writes.Dequeue().SetException(e);

        public Task ClearStateAsync() => throw new NotSupportedException();

        public Task ReadStateAsync() => throw new NotSupportedException();
    }
}
