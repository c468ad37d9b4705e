namespace Pipeline.Grains.Steps;

/// <summary>
/// Whose job a script run is. It only labels the run's log lines (a logging scope), so a
/// script's output can be found by task, channel or job among many jobs running at once.
/// </summary>
public sealed record JobContext(string TaskId, string ChannelId, string JobId);
