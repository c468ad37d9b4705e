namespace Pipeline.Grains.Storage;

/// <summary>
/// Writes a grain's state one write at a time, each covering every change made before it began, so a burst of
/// changes from interleaved calls costs one write, not one each (a group commit). A caller's task completes when
/// a write that began after its change has stored it. The state is written as <paramref name="snapshot"/> makes
/// it when the write begins: a copy, so calls that run while the write is at the database change only the grain's
/// own objects, never what is being serialized.
/// </summary>
/// <remarks>Used from the grain's turns only (its scheduler runs one at a time), so the counters need no locks.</remarks>
public sealed class GroupCommit<TState>(IPersistentState<TState> state, Func<TState> snapshot)
{
    private Task _last = Task.CompletedTask;
    private long _changes;
    private long _written;

    /// <summary>The last write asked for; awaited before a deactivation so nothing is left unstored.</summary>
    public Task Last => _last;

    /// <summary>Stores the state as it is now, with whatever else changed before the write begins.</summary>
    public Task WriteAsync()
    {
        var change = ++_changes;
        return _last = WriteAfterAsync(_last, change);
    }

    private async Task WriteAfterAsync(Task previous, long change)
    {
        try
        {
            await previous;
        }
        catch
        {
            // That write's callers have its error; this one tries again with everything.
        }

        if (_written >= change)
        {
            return;
        }

        var upTo = _changes;
        state.State = snapshot();
        await state.WriteStateAsync();
        _written = Math.Max(_written, upTo);
    }
}
