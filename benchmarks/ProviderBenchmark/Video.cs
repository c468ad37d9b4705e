namespace Pipeline.Benchmarks.Providers;

/// <summary>One benchmark task as the read model's history has it.</summary>
public sealed record Video(string TaskId, string Channel, DateTime QueuedAt, DateTime PublishedAt);
