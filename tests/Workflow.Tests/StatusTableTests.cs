using Pipeline.Grains.Abstractions.Workflow;
using Xunit;

namespace Pipeline.Workflow.Tests;

public class StatusTableTests
{
    public static TheoryData<WorkflowStatus> EveryStatus() => new(Design.AllStatuses);

    [Fact]
    public void Statuses_are_the_26_of_the_design_in_order_with_their_codes_Notion_names_and_kinds()
    {
        var expected = Design.Statuses.Select(s => $"{s.Number} {s.Status} {s.Code} '{s.NotionName}' {s.Kind}");
        var actual = WorkflowDefinition.Statuses.Select(s => $"{(int)s.Status} {s.Status} {s.Code} '{s.NotionName}' {s.Kind}");

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Enum_holds_exactly_the_26_statuses_numbered_1_to_26()
    {
        Assert.Equal(Enumerable.Range(1, 26), Enum.GetValues<WorkflowStatus>().Select(s => (int)s));
        Assert.All(Design.Statuses, s => Assert.Equal(s.Number, (int)s.Status));
    }

    [Theory]
    [MemberData(nameof(EveryStatus))]
    public void Get_returns_the_status_own_definition(WorkflowStatus status)
    {
        var definition = WorkflowDefinition.Get(status);

        Assert.Equal(status, definition.Status);
        Assert.Equal(Design.Code(status), definition.Code);
        Assert.Equal(Design.NotionName(status), definition.NotionName);
        Assert.False(string.IsNullOrWhiteSpace(definition.Description));
        Assert.True(WorkflowDefinition.IsDefined(status));
    }

    [Fact]
    public void Get_refuses_a_value_that_is_not_a_status()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkflowDefinition.Get((WorkflowStatus)0));
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkflowDefinition.Get((WorkflowStatus)27));
        Assert.False(WorkflowDefinition.IsDefined((WorkflowStatus)0));
    }

    [Fact]
    public void Codes_are_unique_snake_case()
    {
        var codes = WorkflowDefinition.Statuses.Select(s => s.Code).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(codes, code => Assert.Matches("^[a-z]+(_[a-z]+)*$", code));
    }

    [Fact]
    public void Notion_names_are_unique_ignoring_case()
    {
        var names = WorkflowDefinition.Statuses.Select(s => s.NotionName).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(names, name => Assert.Equal(name.Trim(), name));
    }

    [Theory]
    [MemberData(nameof(EveryStatus))]
    public void Code_round_trips_through_TryParseCode_ignoring_case_and_spaces(WorkflowStatus status)
    {
        var code = WorkflowDefinition.Get(status).Code;

        foreach (var text in new[] { code, code.ToUpperInvariant(), $"  {code}\t" })
        {
            Assert.True(WorkflowDefinition.TryParseCode(text, out var parsed), text);
            Assert.Equal(status, parsed);
        }
    }

    [Theory]
    [MemberData(nameof(EveryStatus))]
    public void Notion_name_round_trips_through_TryParseNotionName_ignoring_case_and_spaces(WorkflowStatus status)
    {
        var name = WorkflowDefinition.Get(status).NotionName;

        foreach (var text in new[] { name, name.ToLowerInvariant(), name.ToUpperInvariant(), $" {name}  " })
        {
            Assert.True(WorkflowDefinition.TryParseNotionName(text, out var parsed), text);
            Assert.Equal(status, parsed);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("5")]
    [InlineData("GeneratingAssets")]
    [InlineData("Generating Assets")]
    [InlineData("generating-assets")]
    [InlineData("cancelled")]
    public void TryParseCode_rejects_what_is_not_a_code(string? text)
    {
        Assert.False(WorkflowDefinition.TryParseCode(text, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("generating_assets")]
    [InlineData("GeneratingAssets")]
    [InlineData("Generating  Assets")]
    [InlineData("Cancelled")]
    public void TryParseNotionName_rejects_what_is_not_an_option(string? text)
    {
        Assert.False(WorkflowDefinition.TryParseNotionName(text, out _));
    }

    [Fact]
    public void Shared_lists_cannot_be_changed_through_a_cast()
    {
        AssertUnchangeable(WorkflowDefinition.Statuses);
        AssertUnchangeable(WorkflowDefinition.Transitions);
        AssertUnchangeable(WorkflowDefinition.DefaultRetrySchedule);
        AssertUnchangeable(WorkflowDefinition.TransitionsFrom(WorkflowStatus.Draft));
        Assert.All(WorkflowDefinition.Statuses.Where(s => s.RetryTargets.Count > 0), s => AssertUnchangeable(s.RetryTargets));
    }

    private static void AssertUnchangeable<T>(IReadOnlyList<T> list)
    {
        // A plain array would pass as IReadOnlyList yet let any caller rewrite the workflow.
        Assert.Throws<NotSupportedException>(() => ((IList<T>)list)[0] = list[0]);
    }
}
