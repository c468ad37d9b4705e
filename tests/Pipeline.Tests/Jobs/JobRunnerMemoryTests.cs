using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Grains.Steps;

namespace Pipeline.Tests.Jobs;

/// <summary>
/// What reading a job's output costs in memory. The count of allocated bytes is the whole process's, so
/// these tests run alone, after the others (a CI run here had another test's 2 MB in the count).
/// </summary>
[Collection(nameof(JobRunnerMemoryTests))]
[CollectionDefinition(nameof(JobRunnerMemoryTests), DisableParallelization = true)]
public sealed class JobRunnerMemoryTests(ScriptFixture scripts) : IClassFixture<ScriptFixture>
{
    [Fact]
    public async Task Lots_of_output_is_read_to_the_end_but_only_its_tail_is_kept()
    {
        var runner = new JobRunner(NullLogger<JobRunner>.Instance, new JobRunnerOptions { ScriptsDirectory = scripts.ScriptsDirectory });

        // 72 MB of output. Nothing is logged (NullLogger), so no line is even decoded.
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var outcome = await runner.RunAsync(
            new JobCommand("flood", [], TimeSpan.FromSeconds(30)), new JobContext("task-1", "wild-africa", "job-7"), CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Equal("/tmp/flood.mp4", outcome.Output);
        Assert.Equal(0.5m, outcome.CostUsd);
        Assert.True(outcome.StandardOutputTail.Length <= JobRunnerOptions.DefaultMaxCapturedBytes);
        Assert.True(outcome.StandardOutputTail.Length > JobRunnerOptions.DefaultMaxCapturedBytes - 100);
        Assert.EndsWith("\n{\"output\": \"/tmp/flood.mp4\", \"cost_usd\": 0.5}\n", outcome.StandardOutputTail);
        Assert.Equal(JobRunnerOptions.DefaultMaxCapturedBytes, outcome.StandardErrorTail.Length);
        Assert.True(allocated < 16 * 1024 * 1024, $"reading 72 MB allocated {allocated / 1024 / 1024} MB");
    }
}
