using System.Collections;
using System.Text.Json;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Scripts;

/// <summary>Runs a script of scripts/ as the job runner does: an argument list, no shell, a bounded wait.</summary>
public static class StepScript
{
    public static readonly string[] All =
    [
        "generate_plan", "generate_asset", "create_composite", "generate_video",
        "generate_audio", "generate_sound_effects", "assemble_video",
    ];

    /// <summary>Provider settings and proxies of the developer's shell are not inherited: only what the test sets.</summary>
    private static readonly string[] NotInheritedPrefixes = ["GEMINI_", "KIE_", "ELEVENLABS_"];

    private static readonly string[] Proxies = ["http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"];

    public static async Task<ScriptResult> RunAsync(
        string script, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string?>();
        foreach (var name in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (NotInheritedPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) || Proxies.Contains(name))
            {
                variables[name] = null;
            }
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        var result = await ToolProcess.RunAsync(Path.Combine(Repo.Root, "scripts", script), args, variables);
        return new ScriptResult(result.ExitCode, result.Stdout, result.Stderr, LastLineObject(result.Stdout));
    }

    public static Task<ScriptResult> RunAsync(string script, params string[] args) => RunAsync(script, args, null);

    private static JsonElement? LastLineObject(string stdout)
    {
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (last is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(last);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
