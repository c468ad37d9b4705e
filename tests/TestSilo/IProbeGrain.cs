namespace Pipeline.TestSilo;

/// <summary>A grain with persisted state and a reminder, to watch storage, failover and reminders from tests.</summary>
public interface IProbeGrain : IGrainWithStringKey
{
    Task<ProbeState> GetState();

    Task Write(string value);

    /// <summary>The silo the activation lives on, e.g. to see it move after a failover.</summary>
    Task<string> GetSilo();

    Task ScheduleReminder(TimeSpan dueTime);
}
