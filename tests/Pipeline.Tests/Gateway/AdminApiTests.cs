using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Gateway;

/// <summary>The admin API over HTTP, as an operator's script sees it: the token, the problems, bulk results, the channel endpoints, the OpenAPI document.</summary>
public sealed class AdminApiTests : IAsyncLifetime
{
    private const string Channels = """
        channels:
          - id: alpha
            name: Alpha
            max_concurrent_videos: 1
          - id: beta
            name: Beta
            max_concurrent_videos: 2
            auto_approve: [assets]
        """;

    private PipelineHarness _h = null!;

    public async Task InitializeAsync() => _h = await PipelineHarness.StartAsync(Channels);

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    private static readonly (string Method, string Path)[] AdminEndpoints =
    [
        ("GET", "/tasks"),
        ("GET", "/tasks/some-task"),
        ("POST", "/tasks"),
        ("POST", "/tasks/some-task/approve"),
        ("POST", "/tasks/bulk"),
        ("GET", "/channels"),
        ("GET", "/channels/alpha"),
        ("POST", "/channels/reload"),
    ];

    [Fact]
    public async Task Every_admin_endpoint_refuses_a_missing_or_wrong_token_and_changes_nothing()
    {
        using var anonymous = new HttpClient { BaseAddress = _h.Api.BaseAddress };
        using var wrong = new HttpClient { BaseAddress = _h.Api.BaseAddress };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PipelineHarness.AdminToken[..^1] + "X");

        foreach (var (method, path) in AdminEndpoints)
        {
            foreach (var client in new[] { anonymous, wrong })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method == "POST")
                {
                    request.Content = JsonContent.Create(new { channel_id = "alpha", title = "Sneaked in", ids = new[] { "x" }, action = "queue" });
                }

                using var response = await client.SendAsync(request);
                var problem = await PipelineHarness.ReadJsonAsync(response);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode}");
                Assert.Equal("UNAUTHORIZED", problem.GetProperty("code").GetString());
            }
        }

        var tasks = await ListAsync("/tasks");
        Assert.Equal(0, tasks.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Unknown_tasks_and_channels_are_problems_with_their_codes_and_the_request_id()
    {
        await AssertProblemAsync(_h.Api.GetAsync("/tasks/no-such-task"), HttpStatusCode.NotFound, "TASK_NOT_FOUND");
        await AssertProblemAsync(_h.Api.PostAsJsonAsync("/tasks/no-such-task/cancel", new { }), HttpStatusCode.NotFound, "TASK_NOT_FOUND");
        await AssertProblemAsync(_h.Api.GetAsync("/channels/no-such-channel"), HttpStatusCode.NotFound, "CHANNEL_NOT_FOUND");
        await AssertProblemAsync(_h.Api.PostAsJsonAsync("/tasks", new { channel_id = "no-such-channel", title = "Lost" }),
            HttpStatusCode.NotFound, "CHANNEL_NOT_FOUND");

        Assert.Equal(0, (await ListAsync("/tasks")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_bulk_action_answers_for_each_id_in_the_order_given()
    {
        var draft = await _h.CreateTaskAsync("alpha", "Still a draft");
        var queued = await _h.CreateTaskAsync("alpha", "Queued already", queue: true);

        using var response = await _h.Api.PostAsJsonAsync("/tasks/bulk", new { ids = new[] { draft, "no-such-task", queued }, action = "queue" });
        var results = (await PipelineHarness.ReadJsonAsync(response)).GetProperty("results").EnumerateArray().ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([draft, "no-such-task", queued], results.Select(r => r.GetProperty("id").GetString()));
        Assert.True(results[0].GetProperty("ok").GetBoolean());
        Assert.NotEqual("draft", results[0].GetProperty("status").GetString());
        Assert.False(results[1].GetProperty("ok").GetBoolean());
        Assert.Equal("TASK_NOT_FOUND", results[1].GetProperty("code").GetString());
        Assert.False(results[2].GetProperty("ok").GetBoolean());
        Assert.Equal("INVALID_TRANSITION", results[2].GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(results[2].GetProperty("error").GetString()));
    }

    [Fact]
    public async Task Channels_are_listed_with_their_configuration_and_a_channel_added_by_reload_takes_tasks_at_once()
    {
        var before = await ListAsync("/channels");
        var listed = before.GetProperty("items").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        Assert.Equal(["alpha", "beta"], listed.Keys.Order());
        Assert.Equal(1, listed["alpha"].GetProperty("max_concurrent_videos").GetInt32());
        Assert.Equal(2, listed["beta"].GetProperty("max_concurrent_videos").GetInt32());
        Assert.Equal(["assets"], listed["beta"].GetProperty("auto_approve").EnumerateArray().Select(g => g.GetString()));

        await File.WriteAllTextAsync(_h.ChannelsPath, Channels + "\n" + """
              - id: gamma
                name: Gamma
                max_concurrent_videos: 3
            """);
        using (var reload = await _h.Api.PostAsync("/channels/reload", null))
        {
            var body = await PipelineHarness.ReadJsonAsync(reload);
            Assert.True(reload.StatusCode == HttpStatusCode.OK, $"reload answered {(int)reload.StatusCode}: {body}");
            Assert.Contains("gamma", body.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        }

        var gamma = await ListAsync("/channels/gamma");
        Assert.Equal("Gamma", gamma.GetProperty("name").GetString());
        Assert.Equal(3, gamma.GetProperty("max_concurrent_videos").GetInt32());
        var task = await _h.CreateTaskAsync("gamma", "First on gamma");
        Assert.Equal("gamma", PipelineHarness.TaskOf(await _h.GetTaskAsync(task)).GetProperty("channel_id").GetString());
    }

    [Fact]
    public async Task The_OpenAPI_document_is_served_without_a_token_and_describes_the_admin_endpoints()
    {
        using var anonymous = new HttpClient { BaseAddress = _h.Api.BaseAddress };

        using var response = await anonymous.GetAsync("/openapi/v1.json");
        var document = await PipelineHarness.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var path in new[]
        {
            "/tasks", "/tasks/{id}", "/tasks/bulk", "/tasks/{id}/approve", "/tasks/{id}/reject", "/tasks/{id}/retry",
            "/tasks/{id}/cancel", "/channels", "/channels/{id}", "/channels/reload",
        })
        {
            Assert.True(paths.Contains(path), $"the OpenAPI document has no {path}; it has {string.Join(", ", paths)}");
        }

        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Any(),
            "the document does not say how to authenticate");
    }

    private async Task<JsonElement> ListAsync(string path)
    {
        using var response = await _h.Api.GetAsync(path);
        var body = await PipelineHarness.ReadJsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    private static async Task AssertProblemAsync(Task<HttpResponseMessage> call, HttpStatusCode status, string code)
    {
        using var response = await call;
        var problem = await PipelineHarness.ReadJsonAsync(response);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("request_id").GetString()));
    }
}
