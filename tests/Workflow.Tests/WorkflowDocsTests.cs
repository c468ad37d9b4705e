using Pipeline.Grains.Abstractions.Workflow;
using Xunit;

namespace Pipeline.Workflow.Tests;

public class WorkflowDocsTests
{
    private const string Regenerate = "Regenerate it with: UPDATE_DOCS=1 dotnet test tests/Workflow.Tests  (then review the diff)";

    [Fact]
    public void Docs_workflow_md_is_the_generated_table()
    {
        var path = Path.Combine(RepoRoot(), "docs", "workflow.md");
        var generated = WorkflowDefinition.ToMarkdown();

        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
            return;
        }

        Assert.True(File.Exists(path), $"{path} is missing. {Regenerate}");

        // Checkouts may turn \n into \r\n; only the text matters.
        var onDisk = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(onDisk == generated, $"docs/workflow.md differs from WorkflowDefinition.ToMarkdown(). {Regenerate}{FirstDifference(onDisk, generated)}");
    }

    [Fact]
    public void Markdown_shows_every_status_and_every_transition()
    {
        var markdown = WorkflowDefinition.ToMarkdown();
        var lines = markdown.Split('\n');

        Assert.All(Design.Statuses, s => Assert.Contains($"| {s.Number} | `{s.Code}` | {s.NotionName} |", markdown, StringComparison.Ordinal));
        Assert.All(Design.Moves.Keys, m => Assert.Contains(
            lines,
            line => line.StartsWith($"| `{Design.Code(m.From)}` | `{Design.Code(m.To)}` |", StringComparison.Ordinal)
                    && line.Contains(m.Actor == Actor.System ? "S" : "H", StringComparison.Ordinal)));
        Assert.DoesNotContain("\r", markdown, StringComparison.Ordinal);
    }

    private static string FirstDifference(string onDisk, string generated)
    {
        var a = onDisk.Split('\n');
        var b = generated.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "(end of file)";
            var right = i < b.Length ? b[i] : "(end of text)";
            if (left != right)
            {
                return $"\nFirst difference, line {i + 1}:\n  file:      {left}\n  generated: {right}";
            }
        }

        return "";
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Pipeline.sln above {AppContext.BaseDirectory}");
    }
}
