namespace Pipeline.Grains.YouTube;

/// <summary>A channel's decrypted refresh token, held only for the call that needs it.</summary>
public sealed record YouTubeCredential(string ChannelId, string RefreshToken)
{
    public override string ToString() => $"YouTubeCredential {{ ChannelId = {ChannelId}, RefreshToken = *** }}";
}
