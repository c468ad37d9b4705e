namespace Pipeline.Tests.Fakes;

/// <summary>Gemini's generateContent: an inline PNG for image requests, <see cref="PlanJson"/> as text for JSON ones.</summary>
public sealed class FakeGemini : FakeHttpServer
{
    public const string Key = "test-gemini-key-5f1c";

    public FakeGemini()
        : base("x-goog-api-key", Key, Error)
    {
        Map("POST", "/v1beta/models/", Generate);
    }

    /// <summary>What a JSON (plan) request gets back as the model's text.</summary>
    public string PlanJson { get; set; } = ValidPlanJson;

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["GEMINI_API_KEY"] = Key,
        ["GEMINI_BASE_URL"] = BaseUrl,
    };

    public const string ValidPlanJson = """
        {"title": "Lions", "description": "A pride at dawn.", "tags": ["lions"],
         "assets": [{"id": "lion", "kind": "character", "prompt": "a young lion"},
                    {"id": "savanna", "kind": "environment", "prompt": "the savanna at dawn"}],
         "scenes": [{"id": "scene-01", "character": "lion", "environment": "savanna", "video_prompt": "the lion wakes",
                     "narration": "Dawn comes to the savanna.", "sound_effect": "birds", "duration": 5},
                    {"id": "scene-02", "character": "lion", "environment": "savanna", "video_prompt": "the lion walks",
                     "narration": "The young lion sets out.", "sound_effect": "wind", "duration": 10}]}
        """;

    private FakeResponse Generate(RecordedRequest request)
    {
        var wantsJson = request.Json().TryGetProperty("generationConfig", out var config)
            && config.TryGetProperty("responseMimeType", out var mime) && mime.GetString() == "application/json";
        return wantsJson
            ? Answer(new { text = PlanJson })
            : Answer(new { inlineData = new { mimeType = "image/png", data = Convert.ToBase64String(SampleMedia.Png) } });
    }

    private static FakeResponse Answer(object part) => FakeResponse.Json(new
    {
        candidates = new[] { new { content = new { role = "model", parts = new[] { part } }, finishReason = "STOP" } },
        usageMetadata = new { promptTokenCount = 20, candidatesTokenCount = 200, totalTokenCount = 220 },
    });

    private static FakeResponse Error(int status, string message) => FakeResponse.Json(
        new { error = new { code = status, message, status = StatusName(status) } }, status);

    private static string StatusName(int status) => status switch
    {
        400 => "INVALID_ARGUMENT",
        401 or 403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        429 => "RESOURCE_EXHAUSTED",
        503 => "UNAVAILABLE",
        _ => "INTERNAL",
    };
}
