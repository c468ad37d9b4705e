namespace Pipeline.Grains.Abstractions.Channels;

/// <summary>A valid channels.yaml, parsed.</summary>
/// <param name="Channels">The channels, in file order.</param>
/// <param name="Providers">The provider limits.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.ChannelsDocument")]
public sealed record ChannelsDocument(
    [property: Id(0)] IReadOnlyList<ChannelConfig> Channels,
    [property: Id(1)] IReadOnlyList<ProviderLimit> Providers);

/// <summary>Something wrong in channels.yaml, where it is (1-based line and column) and why.</summary>
/// <param name="Line">The line, from 1.</param>
/// <param name="Column">The column, from 1.</param>
/// <param name="Message">What is wrong and what would be right.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.ConfigError")]
public sealed record ConfigError(
    [property: Id(0)] int Line,
    [property: Id(1)] int Column,
    [property: Id(2)] string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"line {Line}, column {Column}: {Message}";
}

/// <summary>The outcome of reading channels.yaml: applied, or refused with every error found (nothing applied).</summary>
/// <param name="Applied">Whether the new configuration is now in force.</param>
/// <param name="Path">The file read.</param>
/// <param name="Errors">What is wrong, when refused.</param>
/// <param name="Channels">The channel ids now configured (enabled ones).</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.ChannelsReloadResult")]
public sealed record ChannelsReloadResult(
    [property: Id(0)] bool Applied,
    [property: Id(1)] string Path,
    [property: Id(2)] IReadOnlyList<ConfigError> Errors,
    [property: Id(3)] IReadOnlyList<string> Channels);
