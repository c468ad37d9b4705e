namespace Pipeline.Tests.Fakes;

/// <summary>A request the fake Notion received, when it arrived and what it answered.</summary>
/// <param name="ReceivedAt">When it arrived (a monotonic clock, good for measuring rates).</param>
/// <param name="Request">The request.</param>
/// <param name="Status">The HTTP status answered.</param>
public sealed record FakeNotionRequest(DateTimeOffset ReceivedAt, RecordedRequest Request, int Status);
