using System.Text;
using System.Text.Json;

namespace Pipeline.Tests.Fakes;

/// <summary>A request a fake provider received, kept so tests can check what the scripts sent.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body)
{
    /// <summary>When it arrived (UTC).</summary>
    public DateTime ReceivedAt { get; init; } = DateTime.UtcNow;

    /// <summary>When its answer was sent (UTC); null until then.</summary>
    public DateTime? AnsweredAt { get; set; }

    /// <summary>The status it was answered with.</summary>
    public int? AnsweredStatus { get; set; }

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }
}
