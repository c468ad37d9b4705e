namespace Pipeline.Grains.Steps;

/// <summary>The providers jobs call, by the names channels.yaml gives their limits.</summary>
public static class Providers
{
    /// <summary>Images and composites (and plans), Google Gemini.</summary>
    public const string Gemini = "gemini";

    /// <summary>Video clips, Kling through KIE.ai.</summary>
    public const string Kling = "kling";

    /// <summary>Narration and sound effects.</summary>
    public const string ElevenLabs = "elevenlabs";

    /// <summary>Work done on this machine only (ffmpeg): assembly, and every job when its provider has no key.</summary>
    public const string Local = "local";

    /// <summary>The environment variable whose presence makes a provider's scripts call it for real.</summary>
    /// <param name="provider">A provider name.</param>
    /// <returns>The key's variable name, or null for <see cref="Local"/>.</returns>
    public static string? KeyVariable(string provider) => provider switch
    {
        Gemini => "GEMINI_API_KEY",
        Kling => "KIE_API_KEY",
        ElevenLabs => "ELEVENLABS_API_KEY",
        _ => null,
    };
}
