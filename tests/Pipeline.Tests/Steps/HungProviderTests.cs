using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Grains.Steps;
using Pipeline.Tests.Fakes;
using Pipeline.Tests.Infrastructure;
using Pipeline.Tests.Scripts;

namespace Pipeline.Tests.Steps;

/// <summary>
/// A provider that takes the request and never answers: the job runner's timeout ends the script,
/// and the step can be retried. A script whose runner died (a silo killed) ends itself too.
/// </summary>
public sealed class HungProviderTests
{
    [Fact]
    public async Task A_script_whose_runner_dies_ends_with_its_whole_group()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        using var folder = new TempDirectory();
        folder.Write("composite.png", SampleMedia.Png);

        // A stand-in for the silo: starts the script in a session of its own, as JobRunner does, and
        // dies once the script is waiting on the provider (so the script was watching it by then).
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList =
            {
                "-c", "setsid \"$0\" --image composite.png --prompt 'a lion' --output clip.mp4 </dev/null >/dev/null 2>&1 & echo $!; read -r _",
                Path.Combine(Repo.Root, "scripts", "generate_video"),
            },
            WorkingDirectory = folder.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            Environment = { ["KIE_API_KEY"] = "test-key", ["KIE_BASE_URL"] = url, ["KIE_UPLOAD_BASE_URL"] = url },
        };
        using var runner = Process.Start(start)!;
        var scriptPid = int.Parse((await runner.StandardOutput.ReadLineAsync())!, System.Globalization.CultureInfo.InvariantCulture);
        using var call = await silent.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await runner.StandardInput.WriteLineAsync();
        await runner.WaitForExitAsync();
        Assert.True(Directory.Exists($"/proc/{scriptPid}"), "the script was still waiting for the provider when its runner died");

        await Eventually.GetAsync(() => Task.FromResult(Directory.Exists($"/proc/{scriptPid}")), alive => !alive,
            TimeSpan.FromSeconds(5), "the orphaned script to end");
    }

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
