using System.Text.Json;
using Xunit.Sdk;

namespace Pipeline.Tests.Scripts;

/// <summary>How a step script ended: its exit code, output, and the JSON object on its last stdout line.</summary>
public sealed record ScriptResult(int ExitCode, string Stdout, string Stderr, JsonElement? Line)
{
    public JsonElement Json => Line ?? throw new XunitException($"The last stdout line is not a JSON object.\n{this}");

    public string Output => Json.GetProperty("output").GetString()!;

    public double Cost => Json.GetProperty("cost_usd").GetDouble();

    public string Error => Json.GetProperty("error").GetString()!;

    public int? RetryAfterSeconds =>
        Json.TryGetProperty("retry_after_seconds", out var value) ? value.GetInt32() : null;

    /// <summary>Fails the test, with everything the script printed, unless it exited with <paramref name="exitCode"/>.</summary>
    public ScriptResult Expect(int exitCode) =>
        ExitCode == exitCode ? this : throw new XunitException($"Expected exit code {exitCode}.\n{this}");

    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
