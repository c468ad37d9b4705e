using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Grains.Abstractions.Channels;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Grains.Channels;

/// <summary>
/// Reads typed values out of YAML nodes and collects every error at the position of the node it is about,
/// so one pass over a file reports all of its mistakes.
/// </summary>
internal sealed partial class YamlNodeReader
{
    private readonly List<ConfigError> _errors = [];

    /// <summary>Errors so far, in the order found.</summary>
    public IReadOnlyList<ConfigError> Errors => _errors;

    public void Error(YamlNode node, string path, string message) => Error(node.Start, path, message);

    public void Error(Mark mark, string path, string message) => Error(ToInt(mark.Line), ToInt(mark.Column), path, message);

    public void Error(int line, int column, string path, string message) =>
        _errors.Add(new ConfigError(line, column, path.Length == 0 ? message : $"{path}: {message}"));

    public static string Child(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>
    /// The values of a mapping by key. A key outside <paramref name="allowed"/> is an error rather than ignored,
    /// because a misspelt key would otherwise fall back to its default without anyone noticing.
    /// </summary>
    public Dictionary<string, YamlNode> Keys(YamlMappingNode mapping, string path, IReadOnlyList<string> allowed)
    {
        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            if (KeyName(key, path) is not { } name)
            {
                continue;
            }

            if (allowed.Contains(name, StringComparer.Ordinal))
            {
                values[name] = value;
            }
            else
            {
                Error(key, Child(path, name), UnknownName("unknown key", name, allowed));
            }
        }

        return values;
    }

    /// <summary>A mapping key's text; null (and an error) when the key is not a plain name.</summary>
    public string? KeyName(YamlNode key, string path)
    {
        if (key is YamlScalarNode { Value: { Length: > 0 } name } && !IsNull(key))
        {
            return name;
        }

        Error(key, path, $"expected a key name, got {Describe(key)}");
        return null;
    }

    public static string UnknownName(string what, string name, IReadOnlyList<string> allowed) =>
        Suggest(name, allowed) is { } close
            ? $"{what}; did you mean \"{close}\"?"
            : $"{what}; expected one of: {string.Join(", ", allowed)}";

    /// <summary>An optional integer; null when absent or wrong (wrong also records an error).</summary>
    public int? Int(YamlNode? node, string path, int min, int max)
    {
        if (node is null)
        {
            return null;
        }

        var literal = node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text } && IntegerLiteral().IsMatch(text);
        if (literal
            && long.TryParse(((YamlScalarNode)node).Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            && value >= min && value <= max)
        {
            return (int)value;
        }

        // "At least 1" reads better than "1 to 2147483647", unless the number is too big for it.
        var expected = max == int.MaxValue && !(literal && IsTooBig(node))
            ? $"an integer of at least {min}"
            : $"an integer from {min} to {max}";
        Error(node, path, $"expected {expected}, got {Describe(node)}");
        return null;
    }

    /// <summary>An optional number greater than zero; null when absent or wrong.</summary>
    public double? PositiveNumber(YamlNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
            && NumberLiteral().IsMatch(text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && value > 0)
        {
            return value;
        }

        Error(node, path, $"expected a number greater than 0, got {Describe(node)}");
        return null;
    }

    /// <summary>An optional true/false; null when absent or wrong.</summary>
    public bool? Bool(YamlNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text } && BoolLiteral().IsMatch(text))
        {
            return char.ToLowerInvariant(text[0]) == 't';
        }

        Error(node, path, $"expected true or false, got {Describe(node)}");
        return null;
    }

    /// <summary>A piece of text (any scalar but null); null and an error otherwise.</summary>
    public string? Text(YamlNode node, string path, string expected)
    {
        if (node is YamlScalarNode { Value: { } text } && !IsNull(node))
        {
            return text;
        }

        Error(node, path, $"expected {expected}, got {Describe(node)}");
        return null;
    }

    /// <summary>Whether a node is YAML's null: an empty value, <c>~</c> or <c>null</c>.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: var text }
        && (string.IsNullOrEmpty(text) || NullLiteral().IsMatch(text));

    /// <summary>How a wrong value is shown in a message: enough to find it, and to see why it is wrong.</summary>
    public static string Describe(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode:
                return "a mapping";
            case YamlSequenceNode:
                return "a list";
            case YamlScalarNode scalar when IsNull(scalar):
                return "nothing";
            case YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
                when NumberLiteral().IsMatch(text) || BoolLiteral().IsMatch(text):
                return text;
            case YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }:
                return Quote(text);
            case YamlScalarNode { Value: { } text }
                when NumberLiteral().IsMatch(text) || BoolLiteral().IsMatch(text):
                // Otherwise `weight: "2"` would read as "expected an integer, got 2".
                return $"{Quote(text)} (in quotes, so text)";
            case YamlScalarNode { Value: { } text }:
                return Quote(text);
            default:
                return "an unexpected value";
        }
    }

    /// <summary>The allowed name closest to a mistyped one, if it is close enough to be what was meant.</summary>
    public static string? Suggest(string typed, IEnumerable<string> allowed)
    {
        var normalized = Normalize(typed);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in allowed)
        {
            // maxConcurrentVideos and max_concurrent_videos mean the same key; "timeout" is short for timeout_seconds.
            var distance = Normalize(candidate) == normalized ? 0
                : normalized.Length >= 4 && Normalize(candidate).Contains(normalized, StringComparison.Ordinal) ? 1
                : Distance(typed.ToLowerInvariant(), candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        var tolerance = typed.Length <= 4 ? 1 : typed.Length <= 10 ? 2 : 3;
        return bestDistance <= tolerance ? best : null;
    }

    private static bool IsTooBig(YamlNode node) =>
        node is YamlScalarNode { Value: { } text }
        && (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value > int.MaxValue);

    private static string Normalize(string name) =>
        new([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    /// <summary>Edit distance counting a swap of neighbours as one edit (optimal string alignment).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static string Quote(string text)
    {
        const int Longest = 60;
        var shown = text.Length > Longest ? text[..Longest] + "…" : text;
        var quoted = new StringBuilder("\"");
        foreach (var c in shown)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    private static int ToInt(long value) => (int)Math.Clamp(value, 0, int.MaxValue);

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerLiteral();

    [GeneratedRegex(@"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")]
    private static partial Regex NumberLiteral();

    // YAML 1.2's core schema; yes/no/on/off are YAML 1.1 and would surprise as much as they help.
    [GeneratedRegex("^(?:true|True|TRUE|false|False|FALSE)$")]
    private static partial Regex BoolLiteral();

    [GeneratedRegex("^(?:~|null|Null|NULL)$")]
    private static partial Regex NullLiteral();
}
