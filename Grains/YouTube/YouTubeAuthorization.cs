namespace Pipeline.Grains.YouTube;

/// <summary>
/// What a completed consent gives: the channel's refresh token (encrypt it with <see cref="TokenCipher"/>
/// before storing) and a first access token.
/// </summary>
public sealed record YouTubeAuthorization(string ChannelId, string RefreshToken, AccessToken AccessToken, string? Scope)
{
    public YouTubeCredential Credential => new(ChannelId, RefreshToken);

    public override string ToString() =>
        $"YouTubeAuthorization {{ ChannelId = {ChannelId}, RefreshToken = ***, AccessToken = {AccessToken}, Scope = {Scope} }}";
}
