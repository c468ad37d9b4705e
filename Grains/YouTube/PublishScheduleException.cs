namespace Pipeline.Grains.YouTube;

/// <summary>Publish slots that could not be read, with the reason.</summary>
public sealed class PublishScheduleException(string text, string reason)
    : FormatException($"Publish slots '{text}' are not valid: {reason}.")
{
    public string Reason { get; } = reason;
}
