namespace Pipeline.Grains.YouTube;

/// <summary>A stored token that cannot be decrypted; the message says why, and never holds the token.</summary>
public sealed class TokenCipherException(string message) : Exception(message);
