using System.Diagnostics;
using System.Text.RegularExpressions;
using Pipeline.Tests.Infrastructure;
using Pipeline.Tests.Scripts;

namespace Pipeline.Tests.Steps;

/// <summary>`scripts/run.sh --demo`, as an operator runs it: sample videos published, their paths printed, exit 0.</summary>
public sealed partial class DemoTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly string _data = Directory.CreateTempSubdirectory("pipeline-demo-").FullName;

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task The_demo_publishes_a_video_per_sample_channel_and_prints_where_they_are()
    {
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(Repo.Root, "scripts", "run.sh"), "--demo" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["PIPELINE_DATA_DIR"] = _data,
                ["PIPELINE_DB"] = _database.ConnectionString,
                ["PIPELINE_GATEWAY_URL"] = $"http://127.0.0.1:{FreePort.Next()}",
                ["PIPELINE_SILO_HTTP_PORT"] = FreePort.Next().ToString(),
                ["PIPELINE_SILO_PORT"] = FreePort.Next().ToString(),
                ["PIPELINE_GATEWAY_PORT"] = FreePort.Next().ToString(),
                ["GEMINI_API_KEY"] = "",
                ["KIE_API_KEY"] = "",
                ["ELEVENLABS_API_KEY"] = "",
            },
        };
        // Under scripts/test.sh the Release build is there already; a Debug run lets run.sh build it.
        if (Repo.Configuration == "Release")
        {
            start.ArgumentList.Add("--no-build");
        }

        using var demo = Process.Start(start)!;
        var output = demo.StandardOutput.ReadToEndAsync();
        var errors = demo.StandardError.ReadToEndAsync();
        await demo.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
        var printed = await output + await errors;

        Assert.True(demo.ExitCode == 0, $"run.sh --demo exited {demo.ExitCode}:\n{printed}");
        var videos = PublishedLine().Matches(printed).Select(m => m.Groups["path"].Value).ToList();
        Assert.Equal(3, videos.Count);
        foreach (var video in videos)
        {
            Assert.StartsWith(Path.Combine(_data, "outbox"), video, StringComparison.Ordinal);
            var probe = await MediaProbe.ReadAsync(video);
            Assert.Equal(("h264", 1920, 1080, "aac"), (probe.Video.CodecName, probe.Video.Width, probe.Video.Height, probe.Audio.CodecName));
        }

        Assert.Contains("run.sh: stopping", printed);
    }

    [GeneratedRegex(@"^\s+(?<path>/\S+\.mp4)\s+\(", RegexOptions.Multiline)]
    private static partial Regex PublishedLine();
}
