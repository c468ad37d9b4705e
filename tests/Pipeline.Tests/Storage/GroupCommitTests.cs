using Pipeline.Grains.Storage;

namespace Pipeline.Tests.Storage;

/// <summary>The group commit the channel and limiter grains write through: pure logic, on a state whose writes the test lets finish.</summary>
public sealed class GroupCommitTests
{
    [Fact]
    public async Task Changes_made_while_a_write_is_at_the_database_share_the_next_write_and_no_caller_returns_before_its_change_is_stored()
    {
        var live = new List<int>();
        var storage = new HeldStorage();
        var commit = new GroupCommit<List<int>>(storage, () => [.. live]);

        live.Add(1);
        var first = commit.WriteAsync();
        live.Add(2);
        var second = commit.WriteAsync();
        live.Add(3);
        var third = commit.WriteAsync();

        Assert.Equal([[1]], storage.Started);
        Assert.False(first.IsCompleted);

        storage.FinishNext();
        await first;
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);
        Assert.Equal([[1], [1, 2, 3]], storage.Started);

        storage.FinishNext();
        await Task.WhenAll(second, third);
        Assert.Equal(2, storage.Started.Count);
        Assert.Equal([1, 2, 3], storage.State);
    }

    [Fact]
    public async Task A_failed_write_fails_its_callers_and_the_next_write_stores_everything_again()
    {
        var live = new List<int>();
        var storage = new HeldStorage();
        var commit = new GroupCommit<List<int>>(storage, () => [.. live]);

        live.Add(1);
        var first = commit.WriteAsync();
        live.Add(2);
        var second = commit.WriteAsync();

        storage.FailNext(new InvalidOperationException("connection lost"));
        Assert.Equal("connection lost", (await Assert.ThrowsAsync<InvalidOperationException>(() => first)).Message);
        Assert.Equal([[1], [1, 2]], storage.Started);

        storage.FinishNext();
        await second;
        Assert.Equal([1, 2], storage.State);
    }

    [Fact]
    public async Task The_state_being_written_is_a_copy_the_grain_can_go_on_changing()
    {
        var live = new List<int> { 1 };
        var storage = new HeldStorage();
        var commit = new GroupCommit<List<int>>(storage, () => [.. live]);

        var write = commit.WriteAsync();
        live.Add(2);

        Assert.Equal([1], storage.State);
        storage.FinishNext();
        await write;
        Assert.Equal([1], storage.State);
        Assert.NotSame(live, storage.State);
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
