namespace Pipeline.Tests.Steps;

/// <summary>channels.yaml for the step tests.</summary>
public static class SampleChannels
{
    /// <summary>"films": every gate approved by the system, files kept after publishing (so tests can look at them).</summary>
    public const string Films = """
        channels:
          - id: films
            name: Films
            auto_approve: [assets, video, audio, final]
            keep_files: true
        """;
}
