using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Pipeline.ApiGateway.Tasks;

/// <summary>What a task id may look like, and new ids for tasks made through the API.</summary>
public static partial class TaskIds
{
    public const string Rule = "1 to 100 letters, digits, '_' or '-', starting with a letter or digit";

    // Base32 without padding, lowercase: safe in paths and URLs and easy to read aloud.
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>Whether <paramref name="id"/> can be a task id (Notion page ids and generated ids both are).</summary>
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>A new id: <c>t-</c> and 20 random base32 characters (100 bits, so collisions do not happen in practice).</summary>
    public static string New()
    {
        Span<char> id = stackalloc char[22];
        id[0] = 't';
        id[1] = '-';
        for (var i = 2; i < id.Length; i++)
        {
            id[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(id);
    }

    // \z, not $: $ would also accept a trailing newline.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
