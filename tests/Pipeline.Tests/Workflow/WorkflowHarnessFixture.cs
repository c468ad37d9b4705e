using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Workflow;

/// <summary>One running system shared by the tests of a class; each test uses its own tasks.</summary>
public sealed class WorkflowHarnessFixture : IAsyncLifetime
{
    public const string ChannelsYaml = """
        channels:
          - id: main
            name: Main
            max_concurrent_videos: 100
          - id: single
            name: Single slot
            max_concurrent_videos: 1
          - id: auto
            name: Unattended
            max_concurrent_videos: 10
            auto_approve: [assets, video, audio, final]
        """;

    public PipelineHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync() => Harness = await PipelineHarness.StartAsync(ChannelsYaml);

    public Task DisposeAsync() => Harness.DisposeAsync().AsTask();
}
