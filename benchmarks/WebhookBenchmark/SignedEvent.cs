namespace Pipeline.Benchmarks.Webhooks;

/// <summary>A webhook request ready to send: the exact body bytes and the X-Notion-Signature made over them.</summary>
public sealed record SignedEvent(byte[] Body, string Signature);
