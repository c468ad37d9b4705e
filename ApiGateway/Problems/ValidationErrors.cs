namespace Pipeline.ApiGateway.Problems;

/// <summary>Validation messages collected per field (snake_case, as the client wrote it), so one answer lists them all.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    /// <summary>How many messages there are (so a caller can tell whether its own checks added any).</summary>
    public int Count => _errors.Values.Sum(m => m.Count);

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public IDictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>
    /// Checks an optional free-text field: null stays null, blank becomes null, surrounding spaces go, and
    /// anything longer than <paramref name="maxLength"/> is an error.
    /// </summary>
    public string? OptionalText(string field, string? value, int maxLength)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length > maxLength)
        {
            Add(field, $"At most {maxLength} characters (got {text.Length}).");
        }

        return text;
    }
}
