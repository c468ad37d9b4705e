namespace Pipeline.Grains.YouTube;

/// <summary>A consent callback refused (forged or expired state, a code Google did not accept, no refresh token).</summary>
public sealed class YouTubeConsentException(string message, Exception? inner = null) : Exception(message, inner);
