namespace Pipeline.Grains.YouTube;

/// <summary>A short-lived OAuth access token and when it stops working.</summary>
public sealed record AccessToken(string Value, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"AccessToken {{ Value = ***, ExpiresAt = {ExpiresAt:O} }}";
}
