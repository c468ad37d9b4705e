using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Steps;

/// <summary>
/// The pipeline with the real step scripts on local providers: a silo running ScriptStepExecutor
/// (optionally through a <see cref="ScriptSpy"/>), a workspace and an outbox of the test's own.
/// </summary>
public sealed class StepsEnvironment : IAsyncDisposable
{
    private StepsEnvironment(PipelineHarness harness, string data, ScriptSpy? spy)
    {
        Harness = harness;
        Data = data;
        Spy = spy;
    }

    public PipelineHarness Harness { get; }

    public ScriptSpy? Spy { get; }

    public string Data { get; }

    public string Workspaces => Path.Combine(Data, "workspaces");

    public string Outbox => Path.Combine(Data, "outbox");

    /// <param name="providers">Variables that point the scripts at (fake) providers; without them every provider is local.</param>
    /// <param name="silos">How many silos.</param>
    public static async Task<StepsEnvironment> StartAsync(
        string channelsYaml, bool spy = false, IEnumerable<IReadOnlyDictionary<string, string>>? providers = null, int silos = 1)
    {
        var data = Directory.CreateTempSubdirectory("pipeline-steps-").FullName;
        var scriptSpy = spy ? new ScriptSpy() : null;
        var environment = new Dictionary<string, string>
        {
            ["PIPELINE_STEP_EXECUTOR"] = "scripts",
            ["PIPELINE_SCRIPTS"] = scriptSpy?.Directory ?? Path.Combine(Repo.Root, "scripts"),
            ["PIPELINE_WORKSPACE"] = Path.Combine(data, "workspaces"),
            ["PIPELINE_OUTBOX"] = Path.Combine(data, "outbox"),
            // Local providers only, whatever the machine running the tests has set.
            ["GEMINI_API_KEY"] = "",
            ["KIE_API_KEY"] = "",
            ["ELEVENLABS_API_KEY"] = "",
        };
        foreach (var (name, value) in (providers ?? []).SelectMany(p => p))
        {
            environment[name] = value;
        }

        try
        {
            return new StepsEnvironment(await PipelineHarness.StartAsync(channelsYaml, silos, siloEnvironment: environment), data, scriptSpy);
        }
        catch
        {
            scriptSpy?.Dispose();
            Directory.Delete(data, recursive: true);
            throw;
        }
    }

    /// <summary>Creates a queued task with <paramref name="plan"/> through the admin API.</summary>
    public async Task<string> CreateQueuedTaskAsync(string channel, string plan, string title = "A video")
    {
        using var response = await Harness.Api.PostAsJsonAsync("/tasks", new
        {
            channel_id = channel,
            title,
            plan = JsonDocument.Parse(plan).RootElement,
            queue = true,
        });
        var body = await PipelineHarness.ReadJsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"POST /tasks answered {(int)response.StatusCode}: {body}\n{Harness.GatewayOutput}");
        return PipelineHarness.TaskOf(body).GetProperty("task_id").GetString()!;
    }

    public string TaskDirectory(string channel, string taskId) => Path.Combine(Workspaces, channel, taskId);

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        Spy?.Dispose();
        Directory.Delete(Data, recursive: true);
    }
}
