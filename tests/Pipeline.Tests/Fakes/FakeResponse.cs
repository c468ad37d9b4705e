using System.Text;
using System.Text.Json;

namespace Pipeline.Tests.Fakes;

/// <summary>What a fake provider answers: status, body and headers.</summary>
public sealed record FakeResponse(int Status, byte[] Body, string ContentType)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static FakeResponse Json(object value, int status = 200) =>
        new(status, JsonSerializer.SerializeToUtf8Bytes(value), "application/json");

    public static FakeResponse Bytes(byte[] body, string contentType) => new(200, body, contentType);

    public static FakeResponse Text(int status, string text) => new(status, Encoding.UTF8.GetBytes(text), "text/plain");

    public FakeResponse WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers) { [name] = value } };
}
