using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Pipeline.Tests.Infrastructure;
using static Pipeline.Grains.Abstractions.Workflow.WorkflowStatus;

namespace Pipeline.Tests.Workflow;

public sealed class ChannelSlotTests : IAsyncLifetime
{
    private const string TwoSlots = """
        channels:
          - id: capped
            name: Capped
            max_concurrent_videos: 2
        """;

    private PipelineHarness _h = null!;

    public async Task InitializeAsync() => _h = await PipelineHarness.StartAsync(TwoSlots);

    public Task DisposeAsync() => _h.DisposeAsync().AsTask();

    [Fact]
    public async Task A_channel_never_has_more_in_flight_than_its_limit_and_a_reload_raises_it_without_a_restart()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await _h.CreateTaskAsync("capped", $"Video {i}", priority: 0, queue: true));
        }

        // Sample the read model while the first two run to their gate: never more than 2 in flight.
        var highest = 0;
        var deadline = DateTime.UtcNow.AddSeconds(4);
        while (DateTime.UtcNow < deadline)
        {
            highest = Math.Max(highest, await InFlightAsync());
            await Task.Delay(50);
        }

        Assert.Equal(2, highest);
        Assert.Equal(3, await CountAsync("queued"));
        // First come, first served at equal priority.
        Assert.Equal("assets_ready", await _h.StatusOfAsync(ids[0]));
        Assert.Equal("assets_ready", await _h.StatusOfAsync(ids[1]));

        await File.WriteAllTextAsync(_h.ChannelsPath, TwoSlots.Replace("max_concurrent_videos: 2", "max_concurrent_videos: 3"));
        using (var reload = await _h.Api.PostAsync("/channels/reload", null))
        {
            Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        }

        await _h.WaitForStatusAsync(ids[2], AssetsReady);
        await Task.Delay(500);
        Assert.Equal(3, await InFlightAsync());
        Assert.Equal(2, await CountAsync("queued"));

        // A finished (here: cancelled) video frees its slot for the next in line.
        await _h.ActAsync(ids[0], "cancel");
        await _h.WaitForStatusAsync(ids[3], AssetsReady);
        Assert.Equal("queued", await _h.StatusOfAsync(ids[4]));
    }

    [Fact]
    public async Task Higher_priority_goes_first()
    {
        var low = await _h.CreateTaskAsync("capped", "Low", priority: 0, queue: false);
        var blockers = new[] { await _h.CreateTaskAsync("capped", "B1", queue: true), await _h.CreateTaskAsync("capped", "B2", queue: true) };
        await _h.WaitForStatusAsync(blockers[1], AssetsReady);
        await _h.ActAsync(low, "queue");
        var high = await _h.CreateTaskAsync("capped", "High", priority: 10, queue: true);

        await _h.ActAsync(blockers[0], "cancel");

        await _h.WaitForStatusAsync(high, AssetsReady);
        Assert.Equal("queued", await _h.StatusOfAsync(low));
    }

    [Fact]
    public async Task A_broken_channels_yaml_is_refused_with_its_position_and_the_configuration_in_force_stays()
    {
        await File.WriteAllTextAsync(_h.ChannelsPath, """
            channels:
              - id: capped
                name: Capped
                max_concurrent_videos: lots
            """);

        using var reload = await _h.Api.PostAsync("/channels/reload", null);
        var problem = await PipelineHarness.ReadJsonAsync(reload);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reload.StatusCode);
        Assert.Equal("CHANNELS_INVALID", problem.GetProperty("code").GetString());
        var error = problem.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal(4, error.GetProperty("line").GetInt32());
        Assert.Contains("max_concurrent_videos", error.GetProperty("message").GetString());

        var channel = await _h.Api.GetFromJsonAsync<JsonElement>("/channels/capped");
        Assert.Equal(2, FindInt(channel, "max_concurrent_videos"));
    }

    private Task<int> InFlightAsync() => CountAsync(
        "claimed", "generating_assets", "assets_ready", "assets_approved", "generating_composites", "composites_ready",
        "generating_video", "video_ready");

    private async Task<int> CountAsync(params string[] statuses)
    {
        await using var command = _h.Database.DataSource.CreateCommand(
            "SELECT count(*) FROM tasks WHERE channel_id = 'capped' AND status = ANY(@statuses)");
        command.Parameters.Add(new NpgsqlParameter("statuses", statuses));
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Finds a number by name anywhere in a JSON document (the channel view nests its configuration).</summary>
    private static int FindInt(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == name && property.Value.ValueKind == JsonValueKind.Number)
                {
                    return property.Value.GetInt32();
                }

                if (property.Value.ValueKind == JsonValueKind.Object && TryFind(property.Value, name) is { } found)
                {
                    return found;
                }
            }
        }

        throw new KeyNotFoundException($"{name} not in {element}");
    }

    private static int? TryFind(JsonElement element, string name)
    {
        try
        {
            return FindInt(element, name);
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }
}
