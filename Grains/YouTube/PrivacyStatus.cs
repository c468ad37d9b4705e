namespace Pipeline.Grains.YouTube;

/// <summary>YouTube's <c>status.privacyStatus</c>.</summary>
public enum PrivacyStatus
{
    Private,
    Unlisted,
    Public,
}
