using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Notion;

/// <summary>
/// The official Notion JavaScript SDK, installed with <c>npm ci</c> from the committed lock file into a cache
/// under the temp folder keyed by the lock file's hash (so it installs once per machine and version), and
/// scripts run against it with Node. Node and npm are required, not optional: scripts/test.sh provides them.
/// </summary>
public static class NotionSdk
{
    public static string Folder { get; } = Path.Combine(Repo.Root, "tests", "Pipeline.Tests", "Notion", "node");

    private static readonly SemaphoreSlim Installing = new(1, 1);

    /// <summary>Runs a script of <see cref="Folder"/> with the SDK on its module path; its last stdout line is JSON.</summary>
    public static async Task<JsonElement> RunAsync(string script, object input, IReadOnlyDictionary<string, string> environment)
    {
        var modules = await InstallAsync();
        var variables = environment.ToDictionary(e => e.Key, e => (string?)e.Value);
        variables["NODE_PATH"] = modules;
        variables["SDK_CHECK_INPUT"] = JsonSerializer.Serialize(input);
        var result = await ToolProcess.RunAsync(Require("node"), [Path.Combine(Folder, script)], variables, TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"node {script} exited with {result.ExitCode}:\n{result.Stderr}\n{result.Stdout}");
        var last = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        using var document = JsonDocument.Parse(last);
        return document.RootElement.Clone();
    }

    /// <summary>The node_modules folder with the SDK, installed if this machine has not got this lock file's install yet.</summary>
    public static async Task<string> InstallAsync()
    {
        var files = new[] { "package.json", "package-lock.json", ".npmrc" };
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(await File.ReadAllBytesAsync(Path.Combine(Folder, file)));
        }

        var cache = Path.Combine(Path.GetTempPath(), "pipeline-notion-sdk", Convert.ToHexStringLower(hash.GetHashAndReset())[..16]);
        var modules = Path.Combine(cache, "node_modules");
        await Installing.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(modules, "@notionhq", "client", "package.json")))
            {
                return modules;
            }

            // Install beside the cache and move it in whole, so a half-done install is never taken for a cache.
            var staging = $"{cache}.{Guid.NewGuid():N}";
            Directory.CreateDirectory(staging);
            foreach (var file in files)
            {
                File.Copy(Path.Combine(Folder, file), Path.Combine(staging, file));
            }

            var result = await ToolProcess.RunAsync(
                Require("npm"), ["ci", "--prefix", staging, "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
                new Dictionary<string, string?> { ["npm_config_update_notifier"] = "false" }, TimeSpan.FromMinutes(3));
            Assert.True(result.ExitCode == 0, $"npm ci of the Notion SDK failed ({result.ExitCode}):\n{result.Stderr}\n{result.Stdout}");
            if (Directory.Exists(cache))
            {
                // Left by an install that was cut short.
                Directory.Delete(cache, recursive: true);
            }

            try
            {
                Directory.Move(staging, cache);
            }
            catch (IOException) when (Directory.Exists(modules))
            {
                // Another test run installed it meanwhile.
                Directory.Delete(staging, recursive: true);
            }

            return modules;
        }
        finally
        {
            Installing.Release();
        }
    }

    private static string Require(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            $"'{tool}' is not on PATH. The Notion SDK faithfulness test needs Node.js (18 or later) and npm; "
            + "scripts/test.sh installs them (Debian packages nodejs and npm).");
}
