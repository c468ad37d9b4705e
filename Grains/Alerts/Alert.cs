namespace Pipeline.Grains.Alerts;

/// <summary>Something a person has to act on: a task that will not recover by itself.</summary>
public sealed record Alert(string Title, string Detail, string? TaskId = null, string? ChannelId = null);
