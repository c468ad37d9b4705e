using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Pipeline.Grains.Steps;

/// <summary>
/// How long each provider takes to answer one call in the simulated executor (PIPELINE_SIMULATED_LATENCY_MS,
/// e.g. <c>gemini=50,kling=300,elevenlabs=30,local=0</c>). A provider not named answers at once.
/// </summary>
/// <param name="ByProvider">Latency per provider name.</param>
public sealed record SimulatedLatencies(IReadOnlyDictionary<string, TimeSpan> ByProvider)
{
    /// <summary>The scaled-down latencies: a clip 300 ms, an image 50 ms, speech 30 ms.</summary>
    public const string Default = "gemini=50,kling=300,elevenlabs=30,local=0";

    /// <summary>The latency of one call to <paramref name="provider"/>.</summary>
    /// <param name="provider">A provider name.</param>
    /// <returns>Its latency; zero when not configured.</returns>
    public TimeSpan Of(string provider) => ByProvider.GetValueOrDefault(provider, TimeSpan.Zero);

    /// <summary>Reads PIPELINE_SIMULATED_LATENCY_MS (default <see cref="Default"/>).</summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns>The latencies.</returns>
    public static SimulatedLatencies From(IConfiguration configuration) =>
        Parse(configuration["PIPELINE_SIMULATED_LATENCY_MS"] is { Length: > 0 } text ? text : Default);

    /// <summary>Parses <c>name=milliseconds</c> pairs separated by commas.</summary>
    /// <param name="text">The setting.</param>
    /// <returns>The latencies.</returns>
    /// <exception cref="InvalidOperationException">A pair is malformed or a latency is negative.</exception>
    public static SimulatedLatencies Parse(string text)
    {
        var latencies = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) || milliseconds < 0)
            {
                throw new InvalidOperationException(
                    $"PIPELINE_SIMULATED_LATENCY_MS must be provider=milliseconds pairs separated by commas (e.g. \"{Default}\"); '{pair}' is not one.");
            }

            latencies[parts[0]] = TimeSpan.FromMilliseconds(milliseconds);
        }

        return new SimulatedLatencies(latencies);
    }
}
