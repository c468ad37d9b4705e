namespace Pipeline.Tests.Fakes;

/// <summary>ElevenLabs text-to-speech and sound generation, both answering with real MP3 bytes.</summary>
public sealed class FakeElevenLabs : FakeHttpServer
{
    public const string Key = "test-elevenlabs-key-93ab";

    public FakeElevenLabs()
        : base("xi-api-key", Key, Error)
    {
        Map("POST", "/v1/text-to-speech/", _ => FakeResponse.Bytes(SampleMedia.Mp3, "audio/mpeg"));
        Map("POST", "/v1/sound-generation", _ => FakeResponse.Bytes(SampleMedia.Mp3, "audio/mpeg"));
    }

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["ELEVENLABS_API_KEY"] = Key,
        ["ELEVENLABS_BASE_URL"] = BaseUrl,
    };

    private static FakeResponse Error(int status, string message) => FakeResponse.Json(
        new { detail = new { status = status == 429 ? "too_many_concurrent_requests" : "error", message } }, status);
}
