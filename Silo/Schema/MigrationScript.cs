using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Pipeline.Silo.Schema;

/// <summary>One file of <c>sql/</c>: <c>NNN_what_it_does.sql</c>, applied in name order.</summary>
public sealed partial record MigrationScript(string Name, string Sql, string Checksum)
{
    [GeneratedRegex(@"^\d{3,}_[a-z0-9_]+\.sql$")]
    private static partial Regex FileNamePattern();

    public static IReadOnlyList<MigrationScript> LoadAll(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The SQL directory '{directory}' does not exist.");
        }

        var scripts = new List<MigrationScript>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.sql").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            if (!FileNamePattern().IsMatch(name))
            {
                throw new InvalidDataException(
                    $"sql/{name}: migration files are named NNN_lowercase_words.sql so their order is unambiguous.");
            }

            var bytes = File.ReadAllBytes(path);
            scripts.Add(new MigrationScript(
                name,
                System.Text.Encoding.UTF8.GetString(bytes),
                Convert.ToHexStringLower(SHA256.HashData(bytes))));
        }

        var duplicate = scripts.GroupBy(s => s.Name.Split('_')[0]).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidDataException(
                $"sql/: {string.Join(" and ", duplicate.Select(s => s.Name))} share the number {duplicate.Key}.");
        }

        return scripts;
    }
}
