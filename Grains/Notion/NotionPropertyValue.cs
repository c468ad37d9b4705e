using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipeline.Grains.Notion;

/// <summary>
/// A page property's value, of one of the types Pipeline reads and writes. Reading a page gives each
/// value its property <see cref="Id"/> (what webhooks name); writing ignores it and goes by name.
/// </summary>
public abstract record NotionPropertyValue
{
    private protected NotionPropertyValue()
    {
    }

    /// <summary>The property's id on the page (URL-encoded, as Notion sends it); null on values made to be written.</summary>
    public string? Id { get; init; }

    /// <summary>Notion's name for the type: <c>title</c>, <c>rich_text</c>, <c>select</c>, …</summary>
    public abstract string Type { get; }

    /// <summary>The value as text: the text of a title or rich text, the name of a select or status, the URL, …; null when empty.</summary>
    public abstract string? AsText { get; }

    /// <summary>The body of the value in a page update: <c>{"status": {"name": "Queued"}}</c> and the like.</summary>
    internal abstract JsonObject ToJson();
}

/// <summary>A title property (every database has exactly one).</summary>
/// <param name="Text">The plain text.</param>
public sealed record NotionTitle(string Text) : NotionPropertyValue
{
    /// <inheritdoc />
    public override string Type => "title";

    /// <inheritdoc />
    public override string? AsText => Text.Length == 0 ? null : Text;

    internal override JsonObject ToJson() => new() { ["title"] = NotionRichTextWriter.Write(Text) };
}

/// <summary>A rich-text property, read and written as plain text (longer text goes as several pieces of Notion's 2,000-character limit).</summary>
/// <param name="Text">The plain text.</param>
public sealed record NotionRichText(string Text) : NotionPropertyValue
{
    /// <inheritdoc />
    public override string Type => "rich_text";

    /// <inheritdoc />
    public override string? AsText => Text.Length == 0 ? null : Text;

    internal override JsonObject ToJson() => new() { ["rich_text"] = NotionRichTextWriter.Write(Text) };
}

/// <summary>A select property. Writing an option that does not exist yet creates it.</summary>
/// <param name="Name">The option's name; null for none.</param>
public sealed record NotionSelect(string? Name) : NotionPropertyValue
{
    /// <inheritdoc />
    public override string Type => "select";

    /// <inheritdoc />
    public override string? AsText => Name;

    internal override JsonObject ToJson() => new() { ["select"] = Name is null ? null : new JsonObject { ["name"] = Name } };
}

/// <summary>A status property. Unlike a select, its options cannot be made through the API: writing an unknown one is a validation error.</summary>
/// <param name="Name">The option's name; null for none.</param>
public sealed record NotionStatus(string? Name) : NotionPropertyValue
{
    /// <inheritdoc />
    public override string Type => "status";

    /// <inheritdoc />
    public override string? AsText => Name;

    internal override JsonObject ToJson() => new() { ["status"] = Name is null ? null : new JsonObject { ["name"] = Name } };
}

/// <summary>A number property.</summary>
/// <param name="Value">The number; null for empty.</param>
public sealed record NotionNumber(decimal? Value) : NotionPropertyValue
{
    /// <inheritdoc />
    public override string Type => "number";

    /// <inheritdoc />
    public override string? AsText => Value?.ToString(CultureInfo.InvariantCulture);

    internal override JsonObject ToJson() => new() { ["number"] = Value };
}

/// <summary>A URL property.</summary>
/// <param name="Url">The URL; null clears it.</param>
public sealed record NotionUrl(string? Url) : NotionPropertyValue
{
    /// <inheritdoc />
    public override string Type => "url";

    /// <inheritdoc />
    public override string? AsText => Url;

    internal override JsonObject ToJson() => new() { ["url"] = Url };
}

/// <summary>A date property: a day, or a moment, optionally with an end.</summary>
/// <param name="Start">The start; null for an empty date.</param>
/// <param name="End">The end of a range.</param>
/// <param name="IsDateOnly">A day without a time (written as <c>yyyy-MM-dd</c>).</param>
public sealed record NotionDate(DateTimeOffset? Start, DateTimeOffset? End = null, bool IsDateOnly = false) : NotionPropertyValue
{
    /// <inheritdoc />
    public override string Type => "date";

    /// <inheritdoc />
    public override string? AsText => Start is { } start ? Format(start) : null;

    internal override JsonObject ToJson() => new()
    {
        ["date"] = Start is { } start
            ? new JsonObject { ["start"] = Format(start), ["end"] = End is { } end ? Format(end) : null }
            : null,
    };

    private string Format(DateTimeOffset time) => IsDateOnly
        ? time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A checkbox property.</summary>
/// <param name="Checked">Whether it is ticked.</param>
public sealed record NotionCheckbox(bool Checked) : NotionPropertyValue
{
    /// <inheritdoc />
    public override string Type => "checkbox";

    /// <inheritdoc />
    public override string? AsText => Checked ? "true" : "false";

    internal override JsonObject ToJson() => new() { ["checkbox"] = Checked };
}

/// <summary>A property of a type Pipeline does not use (people, formula, relation, …): read, never written.</summary>
/// <param name="PropertyType">Notion's name for its type.</param>
public sealed record NotionOtherProperty(string PropertyType) : NotionPropertyValue
{
    /// <inheritdoc />
    public override string Type => PropertyType;

    /// <inheritdoc />
    public override string? AsText => null;

    internal override JsonObject ToJson() =>
        throw new NotSupportedException($"Pipeline does not write {PropertyType} properties.");
}
