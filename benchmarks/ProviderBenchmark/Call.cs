using System.Text.Json;

namespace Pipeline.Benchmarks.Providers;

/// <summary>One simulated provider call, as the silo's PIPELINE_SIMULATED_CALLS_FILE has it (Grains/Steps/ProviderCallRecord.cs).</summary>
public sealed record Call(
    string Provider,
    string Channel,
    string Task,
    string Job,
    string Silo,
    DateTime RequestedAt,
    DateTime GrantedAt,
    DateTime StartedAt,
    DateTime EndedAt,
    DateTime ReleasedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public TimeSpan Wait => GrantedAt - RequestedAt;

    /// <summary>Every call in the *.jsonl files of a folder (one per silo).</summary>
    public static List<Call> ReadAll(string folder) =>
    [
        .. Directory.EnumerateFiles(folder, "*.jsonl")
            .SelectMany(File.ReadLines)
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<Call>(l, Json)!),
    ];
}
