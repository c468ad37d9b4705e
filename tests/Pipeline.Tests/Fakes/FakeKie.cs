using System.Collections.Concurrent;
using System.Text.Json;

namespace Pipeline.Tests.Fakes;

/// <summary>
/// KIE.ai for Kling: the base64 file upload, createTask, and recordInfo walking a task through
/// waiting → generating → success (or fail); the result URL points back here, at a small real MP4.
/// </summary>
public sealed class FakeKie : FakeHttpServer
{
    public const string Key = "test-kie-key-7d2e";
    public const string ClipPath = "/files/clips/";

    private readonly ConcurrentDictionary<string, int> _polls = new();
    private int _tasks;

    public FakeKie()
        : base("Authorization", "Bearer " + Key, Error)
    {
        Map("POST", "/api/file-base64-upload", Upload);
        Map("POST", "/api/v1/jobs/createTask", _ => Ok(new { taskId = $"task-{Interlocked.Increment(ref _tasks)}" }));
        Map("GET", "/api/v1/jobs/recordInfo", RecordInfo);
        Map("GET", ClipPath, _ => FakeResponse.Bytes(SampleMedia.Mp4, "video/mp4"), open: true);
    }

    /// <summary>How many polls of a task see it unfinished (waiting, then generating) before it ends.</summary>
    public int UnfinishedPolls { get; set; } = 2;

    /// <summary>When set, tasks end in state <c>fail</c> with this code and message.</summary>
    public (string Code, string Message)? Failure { get; set; }

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["KIE_API_KEY"] = Key,
        ["KIE_BASE_URL"] = BaseUrl,
        ["KIE_UPLOAD_BASE_URL"] = BaseUrl,
        ["KIE_POLL_SECONDS"] = "0.05",
    };

    /// <summary>KIE's other way to fail: HTTP 200 with an error <c>code</c> in the body.</summary>
    public void FailNextInBody(int code, string message, string? pathPrefix = null) =>
        AnswerNext(FakeResponse.Json(new { code, msg = message, data = (object?)null }), pathPrefix: pathPrefix);

    private FakeResponse Upload(RecordedRequest request)
    {
        var fileName = request.Json().GetProperty("fileName").GetString();
        return FakeResponse.Json(new
        {
            success = true,
            code = 200,
            msg = "File uploaded successfully",
            data = new { fileName, filePath = $"pipeline/{fileName}", downloadUrl = $"{BaseUrl}/files/uploads/{fileName}" },
        });
    }

    private FakeResponse RecordInfo(RecordedRequest request)
    {
        var taskId = request.Query["taskId"];
        var poll = _polls.AddOrUpdate(taskId, 1, (_, n) => n + 1);
        var finished = poll > UnfinishedPolls;
        var state = !finished ? (poll == 1 ? "waiting" : "generating") : Failure is null ? "success" : "fail";
        return Ok(new
        {
            taskId,
            model = "kling/v2-5-turbo-image-to-video-pro",
            state,
            resultJson = state == "success" ? JsonSerializer.Serialize(new { resultUrls = new[] { $"{BaseUrl}{ClipPath}{taskId}.mp4" } }) : "",
            failCode = state == "fail" ? Failure!.Value.Code : "",
            failMsg = state == "fail" ? Failure!.Value.Message : "",
        });
    }

    private static FakeResponse Ok(object data) => FakeResponse.Json(new { code = 200, msg = "success", data });

    private static FakeResponse Error(int status, string message) =>
        FakeResponse.Json(new { code = status, msg = message, data = (object?)null }, status);
}
