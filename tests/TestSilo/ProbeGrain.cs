namespace Pipeline.TestSilo;

public sealed class ProbeGrain([PersistentState("probe")] IPersistentState<ProbeState> state)
    : Grain, IProbeGrain, IRemindable
{
    private const string ReminderName = "probe";

    public Task<ProbeState> GetState() => Task.FromResult(state.State);

    public async Task Write(string value)
    {
        state.State = state.State with { Value = value, Writes = state.State.Writes + 1 };
        await state.WriteStateAsync();
    }

    public Task<string> GetSilo() => Task.FromResult(this.RuntimeIdentity);

    public async Task ScheduleReminder(TimeSpan dueTime) =>
        await this.RegisterOrUpdateReminder(ReminderName, dueTime, TimeSpan.FromMinutes(1));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State = state.State with { ReminderFirings = [.. state.State.ReminderFirings, DateTime.UtcNow] };
        await state.WriteStateAsync();
        await this.UnregisterReminder(await this.GetReminder(reminderName) ?? throw new InvalidOperationException("reminder gone"));
    }
}
