namespace Pipeline.Tests.Scripts;

/// <summary>A directory of its own for one test, deleted with everything in it at the end.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"pipeline-scripts-{Guid.NewGuid():N}");

    /// <summary>A path inside the directory (not created).</summary>
    public string File(string relative) => Path.Combine(Root, relative);

    /// <summary>Writes <paramref name="content"/> at <paramref name="relative"/>, creating directories, and returns the path.</summary>
    public string Write(string relative, byte[] content)
    {
        var path = File(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    public string Write(string relative, string content) => Write(relative, System.Text.Encoding.UTF8.GetBytes(content));

    /// <summary>Every file under the directory, relative to it, hidden ones included.</summary>
    public IReadOnlyList<string> Files() =>
        [.. Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f)).Order()];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process still writing there; the OS cleans /tmp eventually.
        }
    }
}
