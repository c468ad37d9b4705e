using Microsoft.Extensions.Configuration;

namespace Pipeline.Grains.Workspace;

/// <summary>Where task workspaces and the local publishing outbox live on disk.</summary>
/// <param name="Root">The workspace root: one folder per channel, then one per task.</param>
/// <param name="Outbox">Where videos of channels without YouTube credentials are published.</param>
public sealed record WorkspaceOptions(string Root, string Outbox)
{
    /// <summary>
    /// PIPELINE_WORKSPACE (default <c>&lt;data dir&gt;/workspaces</c>) and PIPELINE_OUTBOX (default
    /// <c>&lt;data dir&gt;/outbox</c>), where the data dir is PIPELINE_DATA_DIR (default <c>.data</c>).
    /// </summary>
    public static WorkspaceOptions From(IConfiguration configuration)
    {
        var data = configuration["PIPELINE_DATA_DIR"] is { Length: > 0 } dir ? dir : ".data";
        return new WorkspaceOptions(
            Path.GetFullPath(configuration["PIPELINE_WORKSPACE"] is { Length: > 0 } root ? root : Path.Combine(data, "workspaces")),
            Path.GetFullPath(configuration["PIPELINE_OUTBOX"] is { Length: > 0 } outbox ? outbox : Path.Combine(data, "outbox")));
    }
}
