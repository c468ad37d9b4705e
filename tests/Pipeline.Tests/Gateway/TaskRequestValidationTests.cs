using System.Text.Json;
using Pipeline.ApiGateway.Problems;
using Pipeline.ApiGateway.Tasks;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Tests.Gateway;

public class TaskRequestValidationTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    [Fact]
    public void A_minimal_task_gets_a_generated_id_and_defaults()
    {
        var errors = new ValidationErrors();

        var valid = CreateTaskRequest.Validate(new CreateTaskRequest(ChannelId: "wild-cats", Title: "  Lions at dawn "), errors, () => "t-new");

        Assert.True(errors.IsEmpty);
        var (id, task) = valid!.Value;
        Assert.Equal("t-new", id);
        Assert.Equal("wild-cats", task.ChannelId);
        Assert.Equal("Lions at dawn", task.Title);
        Assert.Equal(0, task.Priority);
        Assert.False(task.Queue);
        Assert.Null(task.PlanJson);
        Assert.Equal("api", task.By);
    }

    [Fact]
    public void A_full_request_read_from_snake_case_json_keeps_everything()
    {
        var body = JsonSerializer.Deserialize<CreateTaskRequest>(
            """
            {"id": "notion-Page_1", "channel_id": "wild-cats", "title": "Tigers", "topic": "tigers",
             "story_direction": "slow", "priority": -100, "plan": {"assets": [{"id": "t", "kind": "character", "prompt": "a tiger"}, {"id": "j", "kind": "environment", "prompt": "jungle"}], "scenes": [{"id": "s1", "character": "t", "environment": "j", "video_prompt": "walks"}]}, "queue": true, "by": "ann"}
            """,
            Json);
        var errors = new ValidationErrors();

        var (id, task) = CreateTaskRequest.Validate(body, errors, () => throw new InvalidOperationException("not needed"))!.Value;

        Assert.Equal("notion-Page_1", id);
        Assert.Equal(("tigers", "slow", -100, true, "ann"), (task.Topic, task.StoryDirection, task.Priority, task.Queue, task.By));
        Assert.StartsWith("""{"assets": [{"id": "t",""", task.PlanJson);
    }

    [Theory]
    [InlineData("-leading-dash")]
    [InlineData("_leading-underscore")]
    [InlineData("has space")]
    [InlineData("has/slash")]
    [InlineData("trailing-newline\n")]
    [InlineData("")]
    public void A_bad_id_is_refused(string id)
    {
        var errors = new ValidationErrors();

        Assert.Null(CreateTaskRequest.Validate(new CreateTaskRequest(id, "wild-cats", "Title"), errors, () => "x"));
        Assert.Contains("1 to 100 letters", Assert.Single(errors.ToDictionary()["id"]));
    }

    [Fact]
    public void Ids_of_100_characters_pass_and_101_do_not()
    {
        Assert.True(TaskIds.IsValid(new string('a', 100)));
        Assert.False(TaskIds.IsValid(new string('a', 101)));
    }

    [Fact]
    public void Every_problem_of_a_create_request_is_named_at_once()
    {
        var errors = new ValidationErrors();
        var plan = JsonDocument.Parse("[1, 2]").RootElement;

        var valid = CreateTaskRequest.Validate(
            new CreateTaskRequest(ChannelId: " ", Title: new string('x', 201), Priority: 101, Plan: plan, By: new string('b', 101)),
            errors,
            () => "x");

        Assert.Null(valid);
        var byField = errors.ToDictionary();
        Assert.Equal(["by", "channel_id", "plan", "priority", "title"], byField.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("At most 200 characters", byField["title"][0]);
        Assert.Contains("-100 to 100", byField["priority"][0]);
        Assert.Contains("JSON object (got array)", byField["plan"][0]);
    }

    [Fact]
    public void A_title_of_exactly_200_characters_and_a_null_plan_are_fine()
    {
        var errors = new ValidationErrors();
        var body = JsonSerializer.Deserialize<CreateTaskRequest>(
            $$"""{"channel_id": "c", "title": "{{new string('x', 200)}}", "plan": null, "priority": 100}""", Json);

        Assert.NotNull(CreateTaskRequest.Validate(body, errors, () => "x"));
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void No_body_is_a_validation_error_not_a_crash()
    {
        var errors = new ValidationErrors();

        Assert.Null(CreateTaskRequest.Validate(null, errors, () => "x"));
        Assert.Contains("channel_id and title", Assert.Single(errors.ToDictionary()["body"]));
    }

    [Fact]
    public void Generated_ids_are_valid_distinct_and_shaped_t_dash_base32()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => TaskIds.New()).ToList();

        Assert.All(ids, id =>
        {
            Assert.Matches("^t-[a-z2-7]{20}$", id);
            Assert.True(TaskIds.IsValid(id));
        });
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void A_rejection_needs_notes()
    {
        var errors = new ValidationErrors();

        Assert.Null(HumanActions.Build(TaskAction.Reject, null, "   ", null, null, errors));
        Assert.Equal("A rejection needs notes: what should change.", Assert.Single(errors.ToDictionary()["notes"]));
    }

    [Fact]
    public void A_rejection_keeps_gate_notes_distinct_items_and_who()
    {
        var errors = new ValidationErrors();

        var action = HumanActions.Build(TaskAction.Reject, " Video ", " more fur ", ["clip-3", "clip-3", " clip-7 "], "dee", errors);

        Assert.True(errors.IsEmpty);
        Assert.Equal(ReviewGate.Video, action!.Gate);
        Assert.Equal("more fur", action.Notes);
        Assert.Equal(["clip-3", "clip-7"], action.Items!);
        Assert.Equal("dee", action.By);
    }

    [Theory]
    [InlineData("assets", ReviewGate.Assets)]
    [InlineData("VIDEO", ReviewGate.Video)]
    [InlineData("audio", ReviewGate.Audio)]
    [InlineData("final", ReviewGate.Final)]
    public void Approve_reads_the_four_gates(string gate, ReviewGate expected)
    {
        var action = HumanActions.Build(TaskAction.Approve, gate, null, null, null, new ValidationErrors());

        Assert.Equal(expected, action!.Gate);
        Assert.Equal("api", action.By);
    }

    [Theory]
    [InlineData("sound")]
    [InlineData("1")]
    [InlineData("assets_ready")]
    public void An_unknown_gate_is_refused_with_the_gates_listed(string gate)
    {
        var errors = new ValidationErrors();

        Assert.Null(HumanActions.Build(TaskAction.Approve, gate, null, null, null, errors));
        Assert.Contains("assets, video, audio, final", Assert.Single(errors.ToDictionary()["gate"]));
    }

    [Fact]
    public void Gates_and_items_only_go_with_the_actions_that_take_them()
    {
        var errors = new ValidationErrors();

        Assert.Null(HumanActions.Build(TaskAction.Retry, "assets", null, ["a"], null, errors));
        var byField = errors.ToDictionary();
        Assert.Equal("Only approve and reject take a gate, not retry.", Assert.Single(byField["gate"]));
        Assert.Equal("Only reject takes items, not retry.", Assert.Single(byField["items"]));
    }

    [Fact]
    public void A_cancellation_reason_is_checked_under_its_own_name()
    {
        var errors = new ValidationErrors();

        Assert.Null(HumanActions.Build(TaskAction.Cancel, null, new string('r', 10_001), null, null, errors, notesField: "reason"));
        Assert.Equal(["reason"], errors.ToDictionary().Keys);

        var action = HumanActions.Build(TaskAction.Cancel, null, "changed our minds", null, null, new ValidationErrors(), "reason");
        Assert.Equal("changed our minds", action!.Notes);
    }

    [Fact]
    public void A_bulk_request_is_refused_whole_for_bad_ids_or_action()
    {
        var errors = new ValidationErrors();

        Assert.Null(BulkRequest.Validate(new BulkRequest(["a", "-b", "a", null], "explode"), errors));
        var byField = errors.ToDictionary();
        Assert.Contains("repeated: a", Assert.Single(byField["ids"]));
        Assert.True(byField.ContainsKey("ids[1]"));
        Assert.True(byField.ContainsKey("ids[3]"));
        Assert.Contains("queue, approve, reject, retry, cancel", Assert.Single(byField["action"]));
    }

    [Fact]
    public void A_bulk_request_needs_1_to_500_ids()
    {
        var none = new ValidationErrors();
        Assert.Null(BulkRequest.Validate(new BulkRequest([], "queue"), none));
        Assert.True(none.ToDictionary().ContainsKey("ids"));

        var tooMany = new ValidationErrors();
        Assert.Null(BulkRequest.Validate(new BulkRequest([.. Enumerable.Range(0, 501).Select(i => $"t{i}")], "queue"), tooMany));
        Assert.Contains("At most 500", Assert.Single(tooMany.ToDictionary()["ids"]));

        var most = new ValidationErrors();
        Assert.NotNull(BulkRequest.Validate(new BulkRequest([.. Enumerable.Range(0, 500).Select(i => $"t{i}")], "queue"), most));
    }

    [Fact]
    public void A_bulk_rejection_follows_the_single_rejection_rules()
    {
        var errors = new ValidationErrors();
        Assert.Null(BulkRequest.Validate(new BulkRequest(["a"], "reject"), errors));
        Assert.True(errors.ToDictionary().ContainsKey("notes"));

        var valid = BulkRequest.Validate(new BulkRequest(["a", "b"], "Reject", "redo", "final", ["x"], "eve"), new ValidationErrors());
        var (ids, action, human) = valid!.Value;
        Assert.Equal(["a", "b"], ids);
        Assert.Equal(TaskAction.Reject, action);
        Assert.Equal((ReviewGate.Final, "redo", "eve"), (human.Gate!.Value, human.Notes, human.By));
    }
}
