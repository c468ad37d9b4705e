using Pipeline.ApiGateway.Channels;
using Pipeline.ApiGateway.Tasks;
using Pipeline.Grains.Abstractions.Tasks;
using Pipeline.Grains.Abstractions.Workflow;

namespace Pipeline.Tests.Gateway;

public class TaskResponseTests
{
    [Fact]
    public void A_task_at_a_gate_shows_code_name_gate_and_what_a_person_may_do()
    {
        var response = TaskResponse.From(new TaskState
        {
            TaskId = "t1",
            ChannelId = "wild-cats",
            Title = "Lions",
            Status = WorkflowStatus.AssetsReady,
            PlanJson = """{"scenes": []}""",
            CreatedAt = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Unspecified),
            UpdatedAt = new DateTime(2025, 1, 2, 3, 4, 6, DateTimeKind.Utc),
        });

        Assert.Equal(("assets_ready", "Assets Ready", "assets"), (response.Status, response.StatusName, response.Gate));
        Assert.Equal(["approve", "reject", "cancel"], response.Actions);
        Assert.Equal(DateTimeKind.Utc, response.CreatedAt.Kind);
        Assert.Equal(new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc), response.CreatedAt);
        Assert.True(response.Plan!.Value.TryGetProperty("scenes", out _));
    }

    [Fact]
    public void An_error_status_shows_what_failed_and_that_a_retry_is_possible()
    {
        var response = TaskResponse.From(new TaskState
        {
            TaskId = "t1",
            Status = WorkflowStatus.VideoError,
            FailedStatus = WorkflowStatus.Assembling,
            PlanJson = "not json",
        });

        Assert.Equal("assembling", response.FailedStatus);
        Assert.Null(response.Gate);
        Assert.Contains("retry", response.Actions);
        Assert.Null(response.Plan);
    }

    [Fact]
    public void History_adds_the_transitions_the_read_model_does_not_have_yet_in_order()
    {
        var at = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var stored = new[]
        {
            new TransitionResponse(0, null, null, "draft", "Draft", "human", null, null, "api", at),
            new TransitionResponse(1, "draft", "Draft", "queued", "Queued", "human", "queue", null, "api", at),
        };
        var state = new TaskState
        {
            TaskId = "t1",
            UnsyncedTransitions =
            [
                new TransitionRecord(2, WorkflowStatus.Queued, WorkflowStatus.Claimed, Actor.System, TransitionKind.Claim, null, null, at),
                new TransitionRecord(1, WorkflowStatus.Draft, WorkflowStatus.Queued, Actor.Human, TransitionKind.Queue, null, "api", at),
            ],
        };

        var history = TasksApi.History(stored, state);

        Assert.Equal([0, 1, 2], history.Select(t => t.Seq));
        Assert.Equal(("queued", "claimed", "system", "claim"), (history[2].FromStatus, history[2].ToStatus, history[2].Actor, history[2].Kind));
    }

    [Fact]
    public void Transition_kinds_are_written_in_snake_case_as_the_read_model_stores_them()
    {
        var record = new TransitionRecord(5, WorkflowStatus.CompositesReady, WorkflowStatus.GeneratingVideo, Actor.System, TransitionKind.PassOn, null, null, DateTime.UtcNow);

        Assert.Equal("pass_on", TransitionResponse.From(record).Kind);
    }

    [Fact]
    public void Channel_counts_follow_the_workflow_order_and_add_up()
    {
        var counts = TaskCounts.From(new Dictionary<string, long> { ["published"] = 4, ["draft"] = 2, ["assets_ready"] = 1 });

        Assert.Equal(7, counts.Total);
        Assert.Equal(["draft", "assets_ready", "published"], counts.ByStatus.Keys);
        Assert.Equal(0, TaskCounts.From(null).Total);
    }
}
