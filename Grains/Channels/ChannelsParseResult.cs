using System.Diagnostics.CodeAnalysis;
using Pipeline.Grains.Abstractions.Channels;

namespace Pipeline.Grains.Channels;

/// <summary>channels.yaml read: either a valid document or every error found in it, never both.</summary>
public sealed record ChannelsParseResult
{
    private ChannelsParseResult(ChannelsDocument? document, IReadOnlyList<ConfigError> errors)
    {
        Document = document;
        Errors = errors;
    }

    /// <summary>The configuration, when the file is valid.</summary>
    public ChannelsDocument? Document { get; }

    /// <summary>What is wrong, ordered by position; empty when the file is valid.</summary>
    public IReadOnlyList<ConfigError> Errors { get; }

    /// <summary>Whether the file is valid and <see cref="Document"/> may be applied.</summary>
    [MemberNotNullWhen(true, nameof(Document))]
    public bool IsValid => Document is not null;

    /// <summary>A valid file.</summary>
    /// <param name="document">What it says.</param>
    /// <returns>The result.</returns>
    public static ChannelsParseResult Valid(ChannelsDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new(document, []);
    }

    /// <summary>A refused file.</summary>
    /// <param name="errors">At least one error.</param>
    /// <returns>The result.</returns>
    public static ChannelsParseResult Invalid(IReadOnlyList<ConfigError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);

        // A refusal without a reason would leave the operator guessing.
        return errors.Count == 0
            ? throw new ArgumentException("A refused channels.yaml needs at least one error.", nameof(errors))
            : new(null, errors);
    }
}
