namespace Pipeline.Grains.YouTube;

/// <summary>
/// Google answered <c>invalid_grant</c> to a channel's refresh token: the consent was revoked or expired
/// (a consent screen in "Testing" gives 7-day tokens). Retrying cannot help: the channel's uploads go on
/// hold until a person consents again.
/// </summary>
public sealed class YouTubeAuthorizationRevokedException(string channelId, string? detail)
    : Exception($"YouTube authorization of channel '{channelId}' revoked: uploads on hold until a new consent ({detail ?? "invalid_grant"}).")
{
    public const string Reason = "revoked: uploads on hold";

    public string ChannelId { get; } = channelId;
}
