namespace Pipeline.Tests.Infrastructure;

public sealed record ToolResult(int ExitCode, string Stdout, string Stderr);
