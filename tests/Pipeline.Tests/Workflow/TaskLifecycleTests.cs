using System.Net;
using System.Text.Json;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Tests.Infrastructure;
using Pipeline.TestSilo;
using static Pipeline.Grains.Abstractions.Workflow.WorkflowStatus;

namespace Pipeline.Tests.Workflow;

/// <summary>Tasks driven through the workflow by the admin API, with the scripted step executor.</summary>
public sealed class TaskLifecycleTests(WorkflowHarnessFixture fixture) : IClassFixture<WorkflowHarnessFixture>
{
    private PipelineHarness H => fixture.Harness;

    [Fact]
    public async Task A_task_goes_from_draft_to_published_with_each_gate_approved_through_the_api()
    {
        var id = await H.CreateTaskAsync("main", "Lions at dawn");
        Assert.Equal("draft", await H.StatusOfAsync(id));

        Assert.Equal(HttpStatusCode.OK, (await H.ActAsync(id, "queue")).Status);
        foreach (var (gate, name) in new[] { (AssetsReady, "assets"), (VideoReady, "video"), (AudioReady, "audio"), (FinalReview, "final") })
        {
            await H.WaitForStatusAsync(id, gate);
            var (status, body) = await H.ActAsync(id, "approve", new { gate = name, by = "reviewer" });
            Assert.True(status == HttpStatusCode.OK, body.ToString());
        }

        await H.WaitForStatusAsync(id, Published);
        var details = await H.GetTaskAsync(id);
        var task = PipelineHarness.TaskOf(details);
        Assert.Equal($"https://youtu.be/{id}", task.GetProperty("youtube_url").GetString());
        Assert.Equal(0.08m, task.GetProperty("cost_usd").GetDecimal()); // claimed + 7 work steps, 0.01 each

        // Every status on the way, in order, each once, in the persisted history.
        var path = details.GetProperty("transitions").EnumerateArray().Select(t => t.GetProperty("to_status").GetString()).ToList();
        string[] expected =
        [
            "draft", "queued", "claimed", "generating_assets", "assets_ready", "assets_approved", "generating_composites",
            "composites_ready", "generating_video", "video_ready", "video_approved", "generating_audio", "audio_ready",
            "audio_approved", "generating_sfx", "sfx_ready", "assembling", "assembly_ready", "final_review", "approved",
            "uploading", "published",
        ];
        Assert.Equal(expected, path);
        var approvals = details.GetProperty("transitions").EnumerateArray().Where(t => t.GetProperty("kind").GetString() == "approve");
        Assert.All(approvals, a => Assert.Equal("human", a.GetProperty("actor").GetString()));
        Assert.Equal(4, approvals.Count());
    }

    [Fact]
    public async Task Each_gate_rejection_runs_its_step_again_with_the_reviewers_notes()
    {
        var id = await H.CreateTaskAsync("main", "Rejected at every gate", plan: TestPlans.BearAndRiver);
        await H.ActAsync(id, "queue");
        // Items are what the rejected step makes: assets at the assets gate, scenes at video and audio, none at the final review.
        var gates = new[]
        {
            (AssetsReady, GeneratingAssets, new[] { "bear" }),
            (VideoReady, GeneratingVideo, ["scene-2"]),
            (AudioReady, GeneratingAudio, ["scene-2"]),
            (FinalReview, Assembling, []),
        };
        foreach (var (gate, step, items) in gates)
        {
            await H.WaitForStatusAsync(id, gate);
            var (status, body) = await H.ActAsync(id, "reject", new { notes = $"redo {step}", items });
            Assert.True(status == HttpStatusCode.OK, body.ToString());
            await H.WaitForStatusAsync(id, gate);
            Assert.Equal(2, await H.Script(id).Runs(step));
            var (approved, approveBody) = await H.ActAsync(id, "approve");
            Assert.True(approved == HttpStatusCode.OK, approveBody.ToString());
        }

        await H.WaitForStatusAsync(id, Published);
        var rejections = (await H.GetTaskAsync(id)).GetProperty("transitions").EnumerateArray()
            .Where(t => t.GetProperty("kind").GetString() == "reject").ToList();
        Assert.Equal(gates.Select(g => WorkflowDefinition.Get(g.Item2).Code), rejections.Select(r => r.GetProperty("to_status").GetString()));
        Assert.Equal(gates.Select(g => $"redo {g.Item2}"), rejections.Select(r => r.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_rejection_names_the_gate_it_means_and_is_refused_at_another()
    {
        var id = await H.CreateTaskAsync("main", "Wrong gate", queue: true);
        await H.WaitForStatusAsync(id, AssetsReady);

        var (status, problem) = await H.ActAsync(id, "reject", new { gate = "video", notes = "no" });

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("INVALID_TRANSITION", problem.GetProperty("code").GetString());
        Assert.Equal("assets_ready", await H.StatusOfAsync(id));
    }

    [Fact]
    public async Task Transient_failures_are_retried_on_the_backoff_schedule_and_recover()
    {
        var id = await H.CreateTaskAsync("auto", "Flaky clips");
        await H.Script(id).Add(GeneratingVideo, new StepInstruction(StepBehaviour.FailTransient, Times: 2));
        await H.ActAsync(id, "queue");

        await H.WaitForStatusAsync(id, Published);

        Assert.Equal(3, await H.Script(id).Runs(GeneratingVideo));
        var transitions = (await H.GetTaskAsync(id)).GetProperty("transitions").EnumerateArray().ToList();
        var retries = transitions.Where(t => t.GetProperty("kind").GetString() == "retry").ToList();
        Assert.Equal(2, retries.Count);
        Assert.All(retries, r => Assert.Equal("system", r.GetProperty("actor").GetString()));
        Assert.Equal(2, transitions.Count(t => t.GetProperty("to_status").GetString() == "video_error"));
        Assert.Equal(0, PipelineHarness.TaskOf(await H.GetTaskAsync(id)).GetProperty("retry_count").GetInt32());
        // The retries' reminders and the watchdog, all removed (the watchdog just after the move to published).
        await Eventually.GetAsync(() => RemindersOfAsync(id), count => count == 0, TimeSpan.FromSeconds(10), "no reminder left");
    }

    [Fact]
    public async Task After_the_last_automatic_retry_the_task_stays_in_error_and_an_alert_goes_out_until_a_person_retries()
    {
        var id = await H.CreateTaskAsync("auto", "Renders on the seventh try");
        await H.Script(id).Add(Assembling, new StepInstruction(StepBehaviour.FailTransient, Times: 6));
        await H.ActAsync(id, "queue");

        await Eventually.GetAsync(() => H.Script(id).Runs(Assembling), runs => runs == 5, TimeSpan.FromSeconds(60), "5 runs of assembling");
        await H.WaitForStatusAsync(id, VideoError);
        await Eventually.GetAsync(() => Task.FromResult(H.Slack.Messages.ToList()), m => m.Any(t => t.Contains(id)),
            TimeSpan.FromSeconds(10), "an alert naming the task");

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(5, await H.Script(id).Runs(Assembling)); // 1 run + 4 retries, then nothing
        var task = PipelineHarness.TaskOf(await H.GetTaskAsync(id));
        Assert.Equal("video_error", task.GetProperty("status").GetString());
        Assert.Equal(4, task.GetProperty("retry_count").GetInt32());
        Assert.Contains("scripted transient failure", task.GetProperty("last_error").GetString());
        Assert.Contains(H.Slack.Messages, m => m.Contains(id) && m.Contains("Automatic retries are used up"));

        // A person's retry starts the count over: its failure is retried automatically again, not left alone.
        var (status, body) = await H.ActAsync(id, "retry", new { by = "operator" });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(0, PipelineHarness.TaskOf(body).GetProperty("retry_count").GetInt32());
        await H.WaitForStatusAsync(id, Published);
        Assert.Equal(7, await H.Script(id).Runs(Assembling));
        var afterHuman = (await H.GetTaskAsync(id)).GetProperty("transitions").EnumerateArray()
            .SkipWhile(t => !(t.GetProperty("actor").GetString() == "human" && t.GetProperty("kind").GetString() == "retry")).Skip(1).ToList();
        Assert.Contains(afterHuman, t => t.GetProperty("kind").GetString() == "retry" && t.GetProperty("actor").GetString() == "system");
    }

    [Fact]
    public async Task A_permanent_failure_is_not_retried_automatically_and_a_human_retry_starts_over_at_once()
    {
        var id = await H.CreateTaskAsync("auto", "Bad narration text");
        await H.Script(id).Add(GeneratingAudio, new StepInstruction(StepBehaviour.FailPermanent));
        await H.ActAsync(id, "queue");

        await H.WaitForStatusAsync(id, AudioError);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(1, await H.Script(id).Runs(GeneratingAudio));
        Assert.Equal("audio_error", await H.StatusOfAsync(id));
        Assert.Contains(H.Slack.Messages, m => m.Contains(id) && m.Contains("permanent failure"));

        var (status, body) = await H.ActAsync(id, "retry", new { by = "operator" });
        Assert.True(status == HttpStatusCode.OK, body.ToString());

        await H.WaitForStatusAsync(id, Published);
        Assert.Equal(2, await H.Script(id).Runs(GeneratingAudio));
        var humanRetry = (await H.GetTaskAsync(id)).GetProperty("transitions").EnumerateArray()
            .Single(t => t.GetProperty("kind").GetString() == "retry");
        Assert.Equal("human", humanRetry.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task An_alert_the_silo_died_before_raising_is_raised_when_the_task_is_next_activated()
    {
        await using var h = await PipelineHarness.StartAsync(WorkflowHarnessFixture.ChannelsYaml);
        var id = await h.CreateTaskAsync("auto", "Unreadable script");
        await h.Script(id).Add(GeneratingAudio, new StepInstruction(StepBehaviour.FailPermanent));
        await h.ActAsync(id, "queue");
        await h.WaitForStatusAsync(id, AudioError);
        await Eventually.GetAsync(() => Task.FromResult(h.Slack.Messages.Count(m => m.Contains(id))), n => n == 1, TimeSpan.FromSeconds(10), "the alert");
        await h.StopSiloAsync(h.Silos[0]);
        var row = $"WHERE graintypestring = 'task' AND grainidextensionstring = '{id}'";
        Assert.Equal("false", await h.Database.ScalarAsync<string>($"SELECT convert_from(payloadbinary, 'UTF8')::jsonb ->> 'AlertPending' FROM orleansstorage {row}"));

        // As if the silo had died after storing the error status and before raising its alert.
        Assert.Equal(1, await h.Database.ExecuteAsync(
            $"UPDATE orleansstorage SET payloadbinary = convert_to(jsonb_set(convert_from(payloadbinary, 'UTF8')::jsonb, '{{AlertPending}}', 'true')::text, 'UTF8') {row}"));
        await h.StartSiloAsync();
        // Reading the task activates it; the gateway's client may take a few seconds to find the new silo.
        await h.WaitForStatusAsync(id, AudioError, TimeSpan.FromSeconds(60));

        await Eventually.GetAsync(() => Task.FromResult(h.Slack.Messages.Count(m => m.Contains(id))), n => n == 2, TimeSpan.FromSeconds(20), "the alert raised again");
        Assert.Contains("permanent failure", h.Slack.Messages.Last(m => m.Contains(id)));
        await Eventually.GetAsync(() => h.Database.ScalarAsync<string>($"SELECT convert_from(payloadbinary, 'UTF8')::jsonb ->> 'AlertPending' FROM orleansstorage {row}"),
            pending => pending == "false", TimeSpan.FromSeconds(10), "the alert stored as raised");
    }

    [Fact]
    public async Task Retries_wait_in_the_order_of_the_schedule_and_a_human_retry_resets_the_count_without_waiting()
    {
        await using var slowRetries = await PipelineHarness.StartAsync(WorkflowHarnessFixture.ChannelsYaml, retrySchedule: "1,3600");
        var id = await slowRetries.CreateTaskAsync("auto", "Retry me now");
        await slowRetries.Script(id).Add(GeneratingAssets, new StepInstruction(StepBehaviour.FailTransient, Times: 2));
        await slowRetries.ActAsync(id, "queue");

        // The first failure waits 1 s and is retried; the second waits the schedule's second value, an hour.
        await Eventually.GetAsync(() => slowRetries.Script(id).Runs(GeneratingAssets), runs => runs == 2, TimeSpan.FromSeconds(30), "the automatic retry's run");
        var failed = await Eventually.GetAsync(async () => PipelineHarness.TaskOf(await slowRetries.GetTaskAsync(id)),
            t => t.GetProperty("status").GetString() == "asset_error" && t.GetProperty("retry_count").GetInt32() == 1,
            TimeSpan.FromSeconds(30), "the second failure");
        var wait = failed.GetProperty("next_retry_at").GetDateTime().ToUniversalTime() - DateTime.UtcNow;
        Assert.InRange(wait, TimeSpan.FromMinutes(58), TimeSpan.FromMinutes(61));

        var (status, body) = await slowRetries.ActAsync(id, "retry");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, PipelineHarness.TaskOf(body).GetProperty("retry_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, PipelineHarness.TaskOf(body).GetProperty("next_retry_at").ValueKind);
        await slowRetries.WaitForStatusAsync(id, Published, TimeSpan.FromSeconds(20));
        Assert.Equal(3, await slowRetries.Script(id).Runs(GeneratingAssets));
    }

    [Fact]
    public async Task Two_concurrent_approvals_of_one_gate_make_exactly_one_transition()
    {
        var id = await H.CreateTaskAsync("main", "Double click", queue: true);
        await H.WaitForStatusAsync(id, AssetsReady);

        var results = await Task.WhenAll(H.ActAsync(id, "approve"), H.ActAsync(id, "approve"));

        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.Single(results, r => r.Status == HttpStatusCode.Conflict && r.Body.GetProperty("code").GetString() == "INVALID_TRANSITION");
        var approvals = (await H.GetTaskAsync(id)).GetProperty("transitions").EnumerateArray()
            .Count(t => t.GetProperty("to_status").GetString() == "assets_approved");
        Assert.Equal(1, approvals);
    }

    [Fact]
    public async Task Statuses_the_system_passes_straight_through_are_stored_in_one_write_with_the_move_out_and_each_is_in_the_history()
    {
        // "auto" approves its gates: once the assets are made, assets ready → assets approved → generating composites.
        var id = await H.CreateTaskAsync("auto", "Hops");
        var script = H.Script(id);
        await script.Add(GeneratingAssets, new StepInstruction(StepBehaviour.Hold));
        await script.Add(GeneratingComposites, new StepInstruction(StepBehaviour.Hold));
        await H.ActAsync(id, "queue");
        await Eventually.GetAsync(() => script.IsHeld(GeneratingAssets), held => held, TimeSpan.FromSeconds(30), "the assets step running");
        var writesBefore = await StoredWritesAsync(id);

        await script.Release(GeneratingAssets);
        await Eventually.GetAsync(() => script.IsHeld(GeneratingComposites), held => held, TimeSpan.FromSeconds(30), "the composites step running");

        Assert.Equal(writesBefore + 1, await StoredWritesAsync(id));
        var details = await H.GetTaskAsync(id);
        Assert.Equal("generating_composites", PipelineHarness.TaskOf(details).GetProperty("status").GetString());
        var moves = details.GetProperty("transitions").EnumerateArray()
            .Select(t => (To: t.GetProperty("to_status").GetString(), Actor: t.GetProperty("actor").GetString(), Kind: t.GetProperty("kind").GetString()))
            .SkipWhile(t => t.To != "generating_assets").ToList();
        Assert.Equal(
            [("generating_assets", "system", "start"), ("assets_ready", "system", "complete"), ("assets_approved", "system", "approve"), ("generating_composites", "system", "start")],
            moves);
    }

    [Fact]
    public async Task A_published_task_leaves_no_reminder_even_one_registered_again_behind_its_back()
    {
        var id = await H.CreateTaskAsync("auto", "Reminders");
        var script = H.Script(id);
        await script.Add(GeneratingAssets, new StepInstruction(StepBehaviour.Hold));
        await H.ActAsync(id, "queue");
        await Eventually.GetAsync(() => script.IsHeld(GeneratingAssets), held => held, TimeSpan.FromSeconds(30), "the assets step running");
        Assert.Equal(1, await RemindersOfAsync(id));

        // As another activation of the task would have: the watchdog's handle this activation holds is now stale.
        await H.Database.ExecuteAsync(
            $"UPDATE orleansreminderstable SET version = version + 1 WHERE remindername = 'watchdog' AND grainid LIKE '%{id}'");
        await script.Release(GeneratingAssets);

        await H.WaitForStatusAsync(id, Published);
        await Eventually.GetAsync(() => RemindersOfAsync(id), count => count == 0, TimeSpan.FromSeconds(10), "the watchdog removed");
    }

    private Task<long> RemindersOfAsync(string id) =>
        H.Database.ScalarAsync<long>($"SELECT count(*) FROM orleansreminderstable WHERE grainid LIKE '%{id}'");

    // The grain state's version: one more per write (sql/003).
    private Task<int> StoredWritesAsync(string id) =>
        H.Database.ScalarAsync<int>($"SELECT version FROM orleansstorage WHERE graintypestring = 'task' AND grainidextensionstring = '{id}'");

    [Fact]
    public async Task A_move_the_workflow_does_not_allow_is_refused_with_a_reason_and_changes_nothing()
    {
        var id = await H.CreateTaskAsync("main", "Too early");

        var (status, problem) = await H.ActAsync(id, "approve");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("INVALID_TRANSITION", problem.GetProperty("code").GetString());
        Assert.Contains("Draft", problem.GetProperty("detail").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("request_id").GetString()));
        var details = await H.GetTaskAsync(id);
        Assert.Equal("draft", PipelineHarness.TaskOf(details).GetProperty("status").GetString());
        Assert.Single(details.GetProperty("transitions").EnumerateArray());
    }
}
