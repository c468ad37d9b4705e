using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.TestSilo;

namespace Pipeline.Tests.Infrastructure;

/// <summary>
/// The whole system as an operator runs it: silo processes and the gateway process on a fresh
/// database, a channels.yaml of the test's own, a fake Slack for alerts, and the admin API.
/// </summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token-0123456789";

    private readonly List<SiloProcess> _silos = [];
    private ChildProcess? _gateway;
    private TestClusterClient? _orleans;

    private readonly IReadOnlyDictionary<string, string> _siloEnvironment;

    private PipelineHarness(string channelsYaml, string retrySchedule, IReadOnlyDictionary<string, string>? siloEnvironment)
    {
        _siloEnvironment = siloEnvironment ?? new Dictionary<string, string>();
        ChannelsPath = Path.Combine(Directory.CreateTempSubdirectory("pipeline-channels-").FullName, "channels.yaml");
        File.WriteAllText(ChannelsPath, channelsYaml);
        RetrySchedule = retrySchedule;
    }

    public TestDatabase Database { get; } = new();

    public FakeSlack Slack { get; } = new();

    public string ChannelsPath { get; }

    public string RetrySchedule { get; }

    public HttpClient Api { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public IClusterClient Orleans => _orleans!.Client;

    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <param name="siloEnvironment">Extra variables for every silo (e.g. PIPELINE_STEP_EXECUTOR=scripts and a workspace).</param>
    public static async Task<PipelineHarness> StartAsync(
        string channelsYaml, int silos = 1, string retrySchedule = "1,1,1,1", IReadOnlyDictionary<string, string>? siloEnvironment = null)
    {
        var harness = new PipelineHarness(channelsYaml, retrySchedule, siloEnvironment);
        try
        {
            await harness.Database.InitializeAsync();
            for (var i = 0; i < silos; i++)
            {
                await harness.StartSiloAsync();
            }

            await harness.StartGatewayAsync();
            harness._orleans = await TestClusterClient.ConnectAsync(harness.Database);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    public async Task<SiloProcess> StartSiloAsync()
    {
        var environment = new Dictionary<string, string>
        {
            ["PIPELINE_CHANNELS"] = ChannelsPath,
            ["PIPELINE_RETRY_SCHEDULE"] = RetrySchedule,
            ["SLACK_WEBHOOK_URL"] = Slack.Url,
            ["PIPELINE_WATCHDOG_SECONDS"] = "60",
        };
        foreach (var (key, value) in _siloEnvironment)
        {
            environment[key] = value;
        }

        var silo = await SiloProcess.StartAsync(Database, environment);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>SIGKILL: the silo dies with whatever it was doing.</summary>
    public async Task KillSiloAsync(SiloProcess silo)
    {
        silo.Kill();
        _silos.Remove(silo);
        await silo.DisposeAsync();
    }

    public async Task StopSiloAsync(SiloProcess silo)
    {
        await silo.StopAsync();
        _silos.Remove(silo);
        await silo.DisposeAsync();
    }

    private async Task StartGatewayAsync()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        _gateway = ChildProcess.Start(Repo.GatewayDll, new Dictionary<string, string>
        {
            ["PIPELINE_DB"] = Database.ConnectionString,
            ["PIPELINE_GATEWAY_URL"] = url,
            ["PIPELINE_ADMIN_TOKEN"] = AdminToken,
            ["DOTNET_gcServer"] = "0",
            ["DOTNET_TieredPGO"] = "0",
        });
        await Http.WaitForStatusAsync($"{url}/ready", 200, TimeSpan.FromSeconds(60), _gateway);
        Api.BaseAddress = new Uri(url);
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    /// <summary>The gateway's recent output, for failure messages.</summary>
    public string GatewayOutput => _gateway?.OutputTail ?? "";

    public IStepScriptGrain Script(string taskId) => Orleans.GetGrain<IStepScriptGrain>(taskId);

    /// <summary>POST /tasks; fails the test unless it is created.</summary>
    public async Task<string> CreateTaskAsync(
        string channel, string title = "A video", int priority = 0, bool queue = false, string? id = null, JsonElement? plan = null)
    {
        using var response = await Api.PostAsJsonAsync("/tasks", new { id, channel_id = channel, title, priority, queue, plan });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /tasks answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return TaskOf(json.RootElement).GetProperty("task_id").GetString()!;
    }

    /// <summary>POST /tasks/{id}/{action} with an optional body; returns status code and JSON.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> ActAsync(string taskId, string action, object? body = null)
    {
        using var response = await Api.PostAsJsonAsync($"/tasks/{taskId}/{action}", body ?? new { });
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    public async Task<JsonElement> GetTaskAsync(string taskId)
    {
        using var response = await Api.GetAsync($"/tasks/{taskId}");
        var json = await ReadJsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"GET /tasks/{taskId} answered {(int)response.StatusCode}: {json}");
        return json;
    }

    /// <summary>The task's status code; a failed request throws an ordinary exception, so <see cref="Eventually"/> tries again.</summary>
    public async Task<string> StatusOfAsync(string taskId)
    {
        using var response = await Api.GetAsync($"/tasks/{taskId}");
        var json = await ReadJsonAsync(response);
        return response.IsSuccessStatusCode
            ? TaskOf(json).GetProperty("status").GetString()!
            : throw new HttpRequestException($"GET /tasks/{taskId} answered {(int)response.StatusCode}: {json}");
    }

    /// <summary>Waits until the task is in <paramref name="status"/> (a code such as "assets_ready").</summary>
    public Task<string> WaitForStatusAsync(string taskId, WorkflowStatus status, TimeSpan? timeout = null) =>
        Eventually.GetAsync(() => StatusOfAsync(taskId), s => s == WorkflowDefinition.Get(status).Code,
            timeout ?? TimeSpan.FromSeconds(30), $"task {taskId} reaching {status}");

    public static JsonElement TaskOf(JsonElement body) =>
        body.TryGetProperty("task", out var task) ? task : body;

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (_orleans is not null)
        {
            await _orleans.DisposeAsync();
        }

        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        await Slack.DisposeAsync();
        await Database.DisposeAsync();
        Api.Dispose();
    }
}
