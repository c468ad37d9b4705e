using Pipeline.Tests.Fakes;

namespace Pipeline.Tests.Scripts;

/// <summary>generate_video against a fake KIE.ai (Kling).</summary>
public sealed class KieScriptTests : IAsyncLifetime
{
    private const string RecordInfo = "/api/v1/jobs/recordInfo";
    private const string CreateTask = "/api/v1/jobs/createTask";
    private const string Upload = "/api/file-base64-upload";

    private readonly TempDirectory _dir = new();
    private readonly FakeKie _kie = new();
    private readonly string _image;

    public KieScriptTests() => _image = _dir.Write("composites/scene-01.png", SampleMedia.Png);

    private string Output => _dir.File("videos/scene-01.mp4");

    [Fact]
    public async Task Uploads_the_image_creates_a_task_polls_until_success_and_downloads_the_clip()
    {
        _kie.UnfinishedPolls = 3;

        var result = (await Run("--image", _image, "--prompt", "The lion yawns", "--output", Output)).Expect(0);

        Assert.Equal((Output, 0.13, "real"), (result.Output, result.Cost, result.Json.GetProperty("provider").GetString()));
        var video = (await MediaProbe.ReadAsync(Output)).Video;
        Assert.Equal("h264", video.CodecName);
        Assert.Equal(1.0, result.Json.GetProperty("duration_seconds").GetDouble(), 0.1);

        var upload = Assert.Single(_kie.RequestsTo(Upload)).Json();
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(SampleMedia.Png), upload.GetProperty("base64Data").GetString());
        Assert.Equal("pipeline", upload.GetProperty("uploadPath").GetString());
        var create = Assert.Single(_kie.RequestsTo(CreateTask)).Json();
        Assert.Equal("kling/v2-5-turbo-image-to-video-pro", create.GetProperty("model").GetString());
        var input = create.GetProperty("input");
        Assert.Equal(("The lion yawns", "5"), (input.GetProperty("prompt").GetString(), input.GetProperty("duration").GetString()));
        Assert.Equal($"{_kie.BaseUrl}/files/uploads/{upload.GetProperty("fileName").GetString()}", input.GetProperty("image_url").GetString());
        var polls = _kie.RequestsTo(RecordInfo);
        Assert.Equal(4, polls.Count);
        Assert.All(polls, p => Assert.Equal("task-1", p.Query["taskId"]));

        // The key goes to KIE's API only, never to the host the clip is downloaded from.
        Assert.All(_kie.Requests.Where(r => !r.Path.StartsWith(FakeKie.ClipPath, StringComparison.Ordinal)),
            r => Assert.Equal($"Bearer {FakeKie.Key}", r.Header("Authorization")));
        Assert.Null(Assert.Single(_kie.RequestsTo(FakeKie.ClipPath)).Header("Authorization"));
        Assert.Equal(["composites/scene-01.png", "videos/scene-01.mp4"], _dir.Files());
    }

    [Fact]
    public async Task A_ten_second_clip_costs_twice_as_much_and_the_model_comes_from_the_environment()
    {
        var environment = new Dictionary<string, string>(_kie.Environment) { ["KIE_MODEL"] = "kling/test-model" };

        var result = (await StepScript.RunAsync("generate_video",
            ["--image", _image, "--prompt", "p", "--output", Output, "--duration", "10"], environment)).Expect(0);

        Assert.Equal(0.26, result.Cost, 6);
        var create = Assert.Single(_kie.RequestsTo(CreateTask)).Json();
        Assert.Equal(("kling/test-model", "10"),
            (create.GetProperty("model").GetString(), create.GetProperty("input").GetProperty("duration").GetString()));
    }

    [Fact]
    public async Task A_failed_task_is_a_retryable_failure_with_klings_message()
    {
        _kie.Failure = ("500", "Image content could not be processed");

        var result = await Run("--image", _image, "--prompt", "p", "--output", Output);

        Assert.NotEqual(0, result.ExitCode);
        Assert.NotEqual(75, result.ExitCode);
        Assert.NotEqual(2, result.ExitCode);
        Assert.Contains("Image content could not be processed", result.Error);
        Assert.Equal(["composites/scene-01.png"], _dir.Files());
    }

    [Theory]
    [InlineData(Upload, 429, "9", 75, 9)]
    [InlineData(CreateTask, 429, "9", 75, 9)]
    [InlineData(CreateTask, 500, null, 75, null)]
    [InlineData(CreateTask, 402, null, 2, null)]
    [InlineData(CreateTask, 400, null, 2, null)]
    [InlineData(Upload, 402, null, 2, null)]
    public async Task Http_errors_map_to_exit_codes(string path, int status, string? retryAfter, int exitCode, int? retryAfterSeconds)
    {
        _kie.FailNext(status, "no luck", retryAfter, pathPrefix: path);

        var result = (await Run("--image", _image, "--prompt", "p", "--output", Output)).Expect(exitCode);

        Assert.Equal(retryAfterSeconds, result.RetryAfterSeconds);
        Assert.Contains("no luck", result.Error);
        Assert.False(File.Exists(Output));
    }

    [Theory]
    [InlineData(402, 2)]
    [InlineData(422, 2)]
    [InlineData(429, 75)]
    [InlineData(455, 75)]
    [InlineData(500, 75)]
    [InlineData(501, 1)]
    public async Task Error_codes_in_an_http_200_body_map_to_exit_codes(int code, int exitCode)
    {
        _kie.FailNextInBody(code, "Credits insufficient or similar", CreateTask);

        var result = (await Run("--image", _image, "--prompt", "p", "--output", Output)).Expect(exitCode);

        Assert.Contains("Credits insufficient or similar", result.Error);
    }

    [Fact]
    public async Task Failed_polls_are_tried_again()
    {
        _kie.FailNext(500, "busy", times: 2, pathPrefix: RecordInfo);
        _kie.FailNextInBody(429, "slow down", RecordInfo);

        (await Run("--image", _image, "--prompt", "p", "--output", Output)).Expect(0);

        Assert.Single(_kie.RequestsTo(CreateTask));
    }

    [Fact]
    public async Task A_run_that_gives_up_waiting_is_transient_and_the_next_run_resumes_the_same_task()
    {
        _kie.UnfinishedPolls = int.MaxValue;
        var impatient = new Dictionary<string, string>(_kie.Environment) { ["KIE_MAX_WAIT_SECONDS"] = "0.3" };

        var first = (await StepScript.RunAsync("generate_video", ["--image", _image, "--prompt", "p", "--output", Output], impatient)).Expect(75);
        _kie.UnfinishedPolls = 0;
        (await Run("--image", _image, "--prompt", "p", "--output", Output)).Expect(0);

        Assert.Contains("task-1", first.Error);
        Assert.Single(_kie.RequestsTo(Upload));
        Assert.Single(_kie.RequestsTo(CreateTask));
        Assert.Equal(["composites/scene-01.png", "videos/scene-01.mp4"], _dir.Files());
    }

    [Fact]
    public async Task A_different_prompt_does_not_resume_another_prompts_task()
    {
        _kie.UnfinishedPolls = int.MaxValue;
        var impatient = new Dictionary<string, string>(_kie.Environment) { ["KIE_MAX_WAIT_SECONDS"] = "0.2" };

        (await StepScript.RunAsync("generate_video", ["--image", _image, "--prompt", "first", "--output", Output], impatient)).Expect(75);
        _kie.UnfinishedPolls = 0;
        (await Run("--image", _image, "--prompt", "second", "--output", Output)).Expect(0);

        Assert.Equal(2, _kie.RequestsTo(CreateTask).Count);
    }

    [Fact]
    public async Task A_download_that_is_not_a_video_is_a_retryable_failure()
    {
        _kie.AnswerNext(FakeResponse.Text(200, "<html>not found</html>"), pathPrefix: FakeKie.ClipPath);

        var result = (await Run("--image", _image, "--prompt", "p", "--output", Output)).Expect(1);

        Assert.Contains("not a readable video", result.Error);
        Assert.False(File.Exists(Output));
    }

    [Fact]
    public async Task Real_without_a_key_is_bad_input()
    {
        var environment = new Dictionary<string, string> { ["KIE_BASE_URL"] = _kie.BaseUrl };

        var result = (await StepScript.RunAsync("generate_video",
            ["--provider", "real", "--image", _image, "--prompt", "p", "--output", Output], environment)).Expect(2);

        Assert.Contains("KIE_API_KEY", result.Error);
        Assert.Empty(_kie.Requests);
    }

    private Task<ScriptResult> Run(params string[] args) => StepScript.RunAsync("generate_video", args, _kie.Environment);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _dir.Dispose();
        await _kie.DisposeAsync();
    }
}
