using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Web;
using Google.Apis.Upload;
using Npgsql;
using Pipeline.Grains.YouTube;
using Pipeline.Tests.Fakes;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.YouTube;

/// <summary>
/// The pipeline with YouTube on a <see cref="FakeYouTube"/>: silos with the OAuth client, an encryption key and
/// small upload chunks, whose steps are instant except the upload, which is the real one on a video of
/// <see cref="VideoBytes"/> made for each task (the TestSilo's scripted executor).
/// </summary>
public sealed class YouTubePipeline : IAsyncDisposable
{
    public const int Chunk = ResumableUpload.MinimumChunkSize;

    /// <summary>Four chunks and a bit: a resume has bytes on both sides of the break.</summary>
    public const int VideoBytes = (4 * Chunk) + 5_000;

    private YouTubePipeline(FakeYouTube fake, PipelineHarness harness, string data)
    {
        Fake = fake;
        Harness = harness;
        Data = data;
    }

    public FakeYouTube Fake { get; }

    public PipelineHarness Harness { get; }

    public string Data { get; }

    public string Workspaces => Path.Combine(Data, "workspaces");

    public static async Task<YouTubePipeline> StartAsync(string channelsYaml, int silos = 1, string retrySchedule = "1,1,1,1")
    {
        var fake = new FakeYouTube();
        var data = Directory.CreateTempSubdirectory("pipeline-youtube-").FullName;
        var environment = new Dictionary<string, string>(fake.Environment)
        {
            ["PIPELINE_ENCRYPTION_KEY"] = EncryptionKey.Generate().ToBase64(),
            ["YOUTUBE_UPLOAD_CHUNK_BYTES"] = Chunk.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PIPELINE_TEST_UPLOAD_BYTES"] = VideoBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PIPELINE_WORKSPACE"] = Path.Combine(data, "workspaces"),
            ["PIPELINE_OUTBOX"] = Path.Combine(data, "outbox"),
        };
        try
        {
            return new YouTubePipeline(fake, await PipelineHarness.StartAsync(channelsYaml, silos, retrySchedule, environment), data);
        }
        catch
        {
            await fake.DisposeAsync();
            Directory.Delete(data, recursive: true);
            throw;
        }
    }

    /// <summary>The consent URL from the admin API.</summary>
    public async Task<Uri> ConsentUrlAsync(string channel)
    {
        using var response = await Harness.Api.GetAsync($"/channels/{channel}/youtube/consent");
        var body = await PipelineHarness.ReadJsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"consent URL: {(int)response.StatusCode} {body}");
        return new Uri(body.GetProperty("consent_url").GetString()!);
    }

    /// <summary>As a person would: open the consent URL (the fake says yes at once), follow Google's redirect to our callback, without any bearer token.</summary>
    public async Task<JsonElement> ConsentInBrowserAsync(string channel)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var google = await browser.GetAsync(await ConsentUrlAsync(channel));
        Assert.Equal(HttpStatusCode.Found, google.StatusCode);
        using var callback = await browser.GetAsync(google.Headers.Location);
        var body = await PipelineHarness.ReadJsonAsync(callback);
        Assert.True(callback.IsSuccessStatusCode, $"callback: {(int)callback.StatusCode} {body}");
        return body;
    }

    /// <summary>A consent whose refresh token the test chooses (so it can revoke it, or look for it).</summary>
    public async Task ConsentWithAsync(string channel, string refreshToken)
    {
        var url = await ConsentUrlAsync(channel);
        var query = HttpUtility.ParseQueryString(url.Query);
        var code = Fake.IssueCode(refreshToken);
        using var callback = await CallbackAsync(query["redirect_uri"]!, code, query["state"]!);
        Assert.True(callback.IsSuccessStatusCode, $"callback: {(int)callback.StatusCode} {await callback.Content.ReadAsStringAsync()}");
    }

    public static async Task<HttpResponseMessage> CallbackAsync(string redirectUri, string? code, string? state)
    {
        using var browser = new HttpClient();
        var query = new List<string>();
        if (code is not null)
        {
            query.Add($"code={Uri.EscapeDataString(code)}");
        }

        if (state is not null)
        {
            query.Add($"state={Uri.EscapeDataString(state)}");
        }

        return await browser.GetAsync($"{redirectUri}?{string.Join('&', query)}");
    }

    public async Task<JsonElement> ChannelAsync(string channel)
    {
        using var response = await Harness.Api.GetAsync($"/channels/{channel}");
        var body = await PipelineHarness.ReadJsonAsync(response);
        Assert.True(response.IsSuccessStatusCode, $"GET /channels/{channel}: {(int)response.StatusCode} {body}");
        return body;
    }

    public async Task<JsonElement> TaskAsync(string taskId) => PipelineHarness.TaskOf(await Harness.GetTaskAsync(taskId));

    public Task<string> WaitForAsync(string taskId, string status, TimeSpan timeout) =>
        Eventually.GetAsync(() => Harness.StatusOfAsync(taskId), s => s == status, timeout, $"task {taskId} to be {status}");

    /// <summary>A refresh token as Google's look, unique to the test.</summary>
    public static string NewRefreshToken() => $"1//0g-secret-{Guid.NewGuid():N}";

    /// <summary>The text of every row of every table, with bytea as hex, and which table it is in.</summary>
    public async Task<List<(string Table, string Row)>> DatabaseTextAsync()
    {
        var rows = new List<(string, string)>();
        var tables = new List<string>();
        await using (var list = Harness.Database.DataSource.CreateCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await using var select = Harness.Database.DataSource.CreateCommand($"SELECT t::text FROM {table} t");
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((table, reader.GetString(0)));
            }
        }

        return rows;
    }

    /// <summary>The forms a secret could take in a row: as is, base64, and hex (bytea's text), whole and its random part.</summary>
    public static IReadOnlyList<string> Forms(string secret)
    {
        var random = secret[(secret.LastIndexOf('-') + 1)..];
        return [secret, random, Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)),
            Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret)), Convert.ToHexStringLower(Encoding.UTF8.GetBytes(random))];
    }

    /// <summary>What the silos and the gateway have printed (their recent lines).</summary>
    public string Logs => string.Join('\n', Harness.Silos.Select(s => s.Process.OutputTail).Append(Harness.GatewayOutput));

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        await Fake.DisposeAsync();
        Directory.Delete(Data, recursive: true);
    }
}
