using Pipeline.ApiGateway.Problems;
using Pipeline.ApiGateway.Tasks;

namespace Pipeline.Tests.Gateway;

public class TaskListQueryTests
{
    [Fact]
    public void No_parameters_means_everything_first_page_of_fifty()
    {
        var errors = new ValidationErrors();

        var query = TaskListQuery.Parse(null, null, null, null, errors);

        Assert.True(errors.IsEmpty);
        Assert.NotNull(query);
        Assert.Empty(query.Statuses);
        Assert.Null(query.ChannelId);
        Assert.Equal((1, 50, 0L), (query.Page, query.PageSize, query.Offset));
    }

    [Fact]
    public void Statuses_may_be_repeated_or_comma_separated_and_are_read_as_codes()
    {
        var errors = new ValidationErrors();

        var query = TaskListQuery.Parse(["queued, ASSETS_READY", "queued", "", "draft,"], null, null, null, errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(["queued", "assets_ready", "draft"], query!.Statuses);
    }

    [Fact]
    public void An_unknown_status_is_named_under_status()
    {
        var errors = new ValidationErrors();

        var query = TaskListQuery.Parse(["queued,Generating Assets"], null, null, null, errors);

        Assert.Null(query);
        var message = Assert.Single(errors.ToDictionary()["status"]);
        Assert.Contains("'Generating Assets' is not a status code", message);
        Assert.Contains("generating_assets", message);
    }

    [Theory]
    [InlineData("0", null, "page")]
    [InlineData("-1", null, "page")]
    [InlineData("one", null, "page")]
    [InlineData("1.5", null, "page")]
    [InlineData("99999999999", null, "page")]
    [InlineData(null, "0", "page_size")]
    [InlineData(null, "501", "page_size")]
    [InlineData(null, "ten", "page_size")]
    public void Page_and_page_size_out_of_range_are_named(string? page, string? pageSize, string field)
    {
        var errors = new ValidationErrors();

        Assert.Null(TaskListQuery.Parse(null, null, page, pageSize, errors));
        Assert.Equal([field], errors.ToDictionary().Keys);
    }

    [Fact]
    public void Every_bad_parameter_is_reported_at_once()
    {
        var errors = new ValidationErrors();

        TaskListQuery.Parse(["nope"], new string('c', 101), "0", "1000", errors);

        Assert.Equal(["channel", "page", "page_size", "status"], errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Paging_bounds_are_accepted_and_give_the_offset()
    {
        var errors = new ValidationErrors();

        var query = TaskListQuery.Parse(null, " wild-cats ", "3", "500", errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal("wild-cats", query!.ChannelId);
        Assert.Equal(1000, query.Offset);
    }

    [Fact]
    public void An_empty_channel_means_all_channels()
    {
        var query = TaskListQuery.Parse(null, "  ", null, null, new ValidationErrors());

        Assert.Null(query!.ChannelId);
    }

    [Fact]
    public void The_filter_uses_parameters_and_equality_for_a_single_status()
    {
        var (where, values) = TaskQueries.Filter(new TaskListQuery(["queued"], "wild-cats", 1, 50));

        Assert.Equal(" WHERE channel_id = $1 AND status = $2", where);
        Assert.Equal(["wild-cats", "queued"], values);
    }

    [Fact]
    public void The_filter_uses_any_for_several_statuses_and_nothing_without_filters()
    {
        var (where, values) = TaskQueries.Filter(new TaskListQuery(["queued", "draft"], null, 1, 50));
        Assert.Equal(" WHERE status = ANY($1)", where);
        Assert.Equal(new[] { "queued", "draft" }, Assert.IsType<string[]>(Assert.Single(values)));

        (where, values) = TaskQueries.Filter(new TaskListQuery([], null, 1, 50));
        Assert.Equal("", where);
        Assert.Empty(values);
    }
}
