using System.Text.RegularExpressions;

namespace Pipeline.Grains.Workspace;

/// <summary>
/// One task's folder: <c>&lt;root&gt;/&lt;channel id&gt;/&lt;task id&gt;/{assets,composites,videos,audio,sfx,final}</c>
/// and its plan.json. Ids become folder names, so they are checked here, whoever passed them:
/// nothing a user or Notion sends can point a path outside the root.
/// </summary>
public sealed partial class TaskWorkspace
{
    /// <summary>The folders each step writes into.</summary>
    public static readonly IReadOnlyList<string> Folders = ["assets", "composites", "videos", "audio", "sfx", "final"];

    private TaskWorkspace(string directory) => Directory = directory;

    /// <summary>The task's folder (absolute).</summary>
    public string Directory { get; }

    /// <summary>The plan the steps work from.</summary>
    public string PlanFile => Path.Combine(Directory, "plan.json");

    /// <summary>The workspace of a task.</summary>
    /// <exception cref="ArgumentException">An id is not safe to use as a folder name.</exception>
    public static TaskWorkspace For(WorkspaceOptions options, string channelId, string taskId)
    {
        if (!SafeId().IsMatch(channelId))
        {
            throw new ArgumentException($"'{channelId}' cannot name a channel folder.", nameof(channelId));
        }

        if (!SafeId().IsMatch(taskId))
        {
            throw new ArgumentException($"'{taskId}' cannot name a task folder.", nameof(taskId));
        }

        return new TaskWorkspace(Path.Combine(options.Root, channelId, taskId));
    }

    /// <summary>Creates the folders that are missing.</summary>
    public void Create()
    {
        foreach (var folder in Folders)
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, folder));
        }
    }

    /// <summary>The absolute path of a file given relative to the workspace.</summary>
    /// <exception cref="ArgumentException">The path leads out of the workspace.</exception>
    public string Resolve(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(Directory, relativePath));
        return full.StartsWith(Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"'{relativePath}' is outside the task's workspace.", nameof(relativePath));
    }

    /// <summary>Removes the task's folder and everything in it (after publishing, unless the channel keeps files).</summary>
    public void Delete()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    // Task ids (Notion page ids, generated ids) and channel ids: letters, digits, '_' and '-', so never "..".
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,99}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeId();
}
