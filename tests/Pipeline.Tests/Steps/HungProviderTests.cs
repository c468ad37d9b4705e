using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Grains.Steps;
using Pipeline.Tests.Fakes;
using Pipeline.Tests.Infrastructure;
using Pipeline.Tests.Scripts;

namespace Pipeline.Tests.Steps;

/// <summary>A provider that takes the request and never answers: the job runner's timeout ends the script, and the step can be retried.</summary>
public sealed class HungProviderTests
{
    [Fact]
    public async Task A_clip_whose_provider_never_answers_is_killed_at_the_timeout_as_transient()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        var accepted = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await silent.AcceptTcpClientAsync());
            }
        });

        using var folder = new TempDirectory();
        folder.Write("composite.png", SampleMedia.Png);
        var runner = new JobRunner(NullLogger<JobRunner>.Instance, new JobRunnerOptions { ScriptsDirectory = Path.Combine(Repo.Root, "scripts") });
        var timeout = TimeSpan.FromSeconds(3);
        var clock = Stopwatch.StartNew();

        var outcome = await runner.RunAsync(
            new JobCommand("generate_video", ["--image", "composite.png", "--prompt", "a lion walks", "--output", "clip.mp4"], timeout,
                new Dictionary<string, string> { ["KIE_API_KEY"] = "test-key", ["KIE_BASE_URL"] = url, ["KIE_UPLOAD_BASE_URL"] = url })
            {
                WorkingDirectory = folder.Root,
            },
            new JobContext("task-1", "films", "videos/scene-01"),
            CancellationToken.None);

        clock.Stop();
        Assert.NotEmpty(accepted);
        Assert.Equal(JobOutcomeKind.Transient, outcome.Kind);
        Assert.Equal("timed out after 3 s", outcome.Error);
        Assert.InRange(clock.Elapsed, timeout, timeout + TimeSpan.FromSeconds(3));
        Assert.False(File.Exists(folder.File("clip.mp4")), "no clip may appear under the final name");
        foreach (var client in accepted)
        {
            client.Dispose();
        }
    }
}
