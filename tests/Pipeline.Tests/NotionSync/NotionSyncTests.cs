using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pipeline.Grains.Abstractions.Notion;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Tests.Fakes;
using Pipeline.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Pipeline.Tests.NotionSync;

/// <summary>Notion in and out: signed webhooks as cues, pages becoming tasks and people's changes transitions, the coalesced write-back under the cluster-wide limit, and the sweep.</summary>
public sealed class NotionSyncTests(NotionFixture fixture, ITestOutputHelper output) : IClassFixture<NotionFixture>
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    private PipelineHarness H => fixture.Harness;

    [Fact]
    public async Task Webhooks_are_accepted_only_signed_with_the_confirmed_token_and_a_handshake_token_signs_nothing_until_confirmed()
    {
        var page = fixture.AddPage("Signatures");
        var notionEvent = fixture.Notion.PageEvent("page.properties_updated", page, ["Topic"]);
        var body = JsonSerializer.SerializeToUtf8Bytes(notionEvent);
        fixture.Notion.TakeEvents();

        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Notion.SendRawWebhookAsync(fixture.WebhookUrl, body, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Notion.SendRawWebhookAsync(fixture.WebhookUrl, body, FakeNotion.Sign(body, "not-the-token"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Notion.SendRawWebhookAsync(fixture.WebhookUrl, body, "sha256=zz")).StatusCode);
        using (var wrong = await fixture.Notion.SendRawWebhookAsync(fixture.WebhookUrl, body, FakeNotion.Sign(body, "not-the-token")))
        {
            var problem = await PipelineHarness.ReadJsonAsync(wrong);
            Assert.Equal("INVALID_SIGNATURE", problem.GetProperty("code").GetString());
        }

        Assert.Equal(HttpStatusCode.Accepted, (await fixture.Notion.SendRawWebhookAsync(fixture.WebhookUrl, body, FakeNotion.Sign(body, fixture.SigningKey))).StatusCode);

        // A new subscription's handshake: its token is shown to the operator and signs nothing yet.
        const string Second = "secret_second_token_0002";
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.Notion.SendHandshakeAsync(fixture.WebhookUrl, Second)).StatusCode);
        var webhook = await PipelineHarness.ReadJsonAsync(await H.Api.GetAsync("/notion/webhook"));
        Assert.Equal(("confirmed", Second), (webhook.GetProperty("signing_key").GetString(), webhook.GetProperty("pending_verification_token").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Notion.SendRawWebhookAsync(fixture.WebhookUrl, body, FakeNotion.Sign(body, Second))).StatusCode);

        using (var mismatch = await H.Api.PostAsJsonAsync("/notion/webhook/confirm", new { verification_token = "secret_typo" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, mismatch.StatusCode);
            Assert.Equal("TOKEN_MISMATCH", (await PipelineHarness.ReadJsonAsync(mismatch)).GetProperty("code").GetString());
        }

        using (var confirmed = await H.Api.PostAsJsonAsync("/notion/webhook/confirm", new { verification_token = Second }))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        fixture.SigningKey = Second;
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Notion.SendRawWebhookAsync(fixture.WebhookUrl, body, FakeNotion.Sign(body, "secret_first_token_0001"))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.Notion.SendRawWebhookAsync(fixture.WebhookUrl, body, FakeNotion.Sign(body, Second))).StatusCode);

        // Malformed JSON (signed): 400; too big: 413; without the admin token, the subscription is not shown.
        var malformed = Encoding.UTF8.GetBytes("{\"id\": \"x\", ");
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Notion.SendRawWebhookAsync(fixture.WebhookUrl, malformed, FakeNotion.Sign(malformed, Second))).StatusCode);
        var huge = new byte[300 * 1024];
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await fixture.Notion.SendRawWebhookAsync(fixture.WebhookUrl, huge, FakeNotion.Sign(huge, Second))).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = H.Api.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/notion/webhook")).StatusCode);
    }

    [Fact]
    public async Task The_same_event_delivered_three_times_makes_one_read_and_one_transition()
    {
        var page = fixture.AddPage("Three times");
        await fixture.DeliverEventsAsync();
        await Eventually.GetAsync(() => fixture.StatusOfAsync(page), s => s == "draft", Long, "the task made from the new page");

        fixture.Notion.EditAsPerson(page, new Dictionary<string, object?> { ["Status"] = "Queued" });
        var queued = Assert.Single(fixture.PersonEvents());
        var readsBefore = Reads(page);
        for (var i = 0; i < 3; i++)
        {
            await fixture.SendAsync(queued);
        }

        await H.WaitForStatusAsync(page, WorkflowStatus.AssetsReady, Long);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, Reads(page) - readsBefore);
        var transitions = (await H.GetTaskAsync(page)).GetProperty("transitions").EnumerateArray().ToList();
        Assert.True(transitions.Count(t => t.GetProperty("to_status").GetString() == "queued") == 1, string.Join("\n", transitions));

        var eventId = queued["id"]!.GetValue<string>();
        Assert.Equal(1, await H.Database.ScalarAsync<long>($"SELECT count(*) FROM notion_events WHERE event_id = '{eventId}'"));

        // The page catches up, and Pipeline's own writes coming back as webhooks change nothing: they are not even read.
        await Eventually.GetAsync(() => Task.FromResult(fixture.Notion.Text(page, "Status")), s => s == "Assets Ready", Long, "the page showing Assets Ready");
        var readsBeforeOwnEdits = Reads(page);
        await fixture.DeliverEventsAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(transitions.Count, (await H.GetTaskAsync(page)).GetProperty("transitions").GetArrayLength());
        Assert.Equal(readsBeforeOwnEdits, Reads(page));
    }

    [Fact]
    public async Task Events_out_of_order_end_in_the_state_the_page_has()
    {
        var page = fixture.AddPage("Changed my mind");
        await fixture.DeliverEventsAsync();
        await Eventually.GetAsync(() => fixture.StatusOfAsync(page), s => s == "draft", Long, "the task made from the new page");

        // Queued, then back to Draft before anything was delivered; the deliveries come the other way round.
        fixture.Notion.EditAsPerson(page, new Dictionary<string, object?> { ["Status"] = "Queued" });
        fixture.Notion.EditAsPerson(page, new Dictionary<string, object?> { ["Status"] = "Draft" });
        var events = fixture.PersonEvents();
        Assert.Equal(2, events.Count);
        foreach (var notionEvent in events.Reverse())
        {
            await fixture.SendAsync(notionEvent);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal("draft", await fixture.StatusOfAsync(page));
        Assert.DoesNotContain((await H.GetTaskAsync(page)).GetProperty("transitions").EnumerateArray(), t => t.GetProperty("to_status").GetString() == "queued");
    }

    [Fact]
    public async Task A_change_the_workflow_does_not_allow_is_refused_and_the_page_set_back_with_the_reason()
    {
        var page = fixture.AddPage("Too fast", "Queued");
        await fixture.DeliverEventsAsync();
        await H.WaitForStatusAsync(page, WorkflowStatus.AssetsReady, Long);
        await Eventually.GetAsync(() => Task.FromResult(fixture.Notion.Text(page, "Status")), s => s == "Assets Ready", Long, "the page showing Assets Ready");

        // The person sees Assets Ready and jumps to Published.
        fixture.Notion.EditAsPerson(page, new Dictionary<string, object?> { ["Status"] = "Published" });
        await fixture.DeliverEventsAsync();

        try
        {
            // Assets Ready may have been written more than once on the way (a read that saw an older write repairs it).
            await Eventually.GetAsync(() => Task.FromResult((Status: fixture.Notion.Text(page, "Status"), Error: fixture.Notion.Text(page, "Error"))),
                p => p.Status == "Assets Ready" && p.Error?.StartsWith("Not changed in Pipeline:", StringComparison.Ordinal) == true, Long, "the page set back to Assets Ready with the reason");
        }
        catch (TimeoutException)
        {
            output.WriteLine(H.Silos[0].Process.OutputTail);
            output.WriteLine((await H.Orleans.GetGrain<INotionPageGrain>(page).GetState()).ToString());
            output.WriteLine((await PipelineHarness.ReadJsonAsync(await H.Api.GetAsync("/limits"))).ToString());
            throw;
        }

        Assert.Contains("Assets Ready → Published", fixture.Notion.Text(page, "Error"), StringComparison.Ordinal);
        Assert.Equal("assets_ready", await fixture.StatusOfAsync(page));
    }

    [Fact]
    public async Task A_burst_of_200_status_changes_under_429s_stays_within_3_requests_a_second_and_every_page_ends_true()
    {
        const int Pages = 40;
        var pages = Enumerable.Range(0, Pages).Select(i => fixture.AddPage($"Burst {i:D2}")).ToList();
        fixture.Notion.TakeEvents();

        // No webhook: the sweep finds them and makes their tasks (40 drafts written back).
        var sweep = await fixture.SweepAsync();
        output.WriteLine(sweep.ToString());
        await Task.WhenAll(pages.Select(p => Eventually.GetAsync(() => fixture.StatusOfAsync(p), s => s == "draft", Long, $"task {p}")));

        // Each task then goes draft → queued → claimed → generating assets → assets ready: 4 changes each, 160 more.
        var start = DateTimeOffset.UtcNow;
        fixture.Notion.FailNext(429, "rate_limited", "You have been rate limited.", retryAfter: "1", times: 4, pathPrefix: "/v1/pages/");
        using var bulk = await H.Api.PostAsJsonAsync("/tasks/bulk", new { ids = pages, action = "queue" });
        Assert.True(bulk.IsSuccessStatusCode, await bulk.Content.ReadAsStringAsync());

        await Task.WhenAll(pages.Select(p => Eventually.GetAsync(() => Task.FromResult(fixture.Notion.Text(p, "Status")), s => s == "Assets Ready",
            TimeSpan.FromMinutes(3), $"page {p} showing Assets Ready")));
        var writes = fixture.Notion.RequestsTo("PATCH", "/v1/pages/").Count(r => r.ReceivedAt >= start);
        var inASecond = fixture.Notion.MostRequestsWithin(TimeSpan.FromSeconds(1));
        var inThreeQuarters = fixture.Notion.MostRequestsWithin(TimeSpan.FromSeconds(0.75));
        output.WriteLine($"{writes} page writes for {Pages * 4} changes; at most {inASecond} requests in a second, {inThreeQuarters} in 0.75 s");

        // The fake sees arrivals, which a machine busy with the rest of the suite delays and bunches by a few hundred
        // milliseconds: the limiter's 3 per 1.25 s can arrive as 4 within a second (CI saw it once). A limiter letting
        // more through shows 4 well within a second, or 5 within one.
        Assert.True(inThreeQuarters <= 3 && inASecond <= 4, $"{inASecond} requests within a second, {inThreeQuarters} within 0.75 s");
        Assert.Contains(fixture.Notion.Requests, r => r.Status == 429);
        Assert.True(writes < Pages * 4, $"{writes} writes: not coalesced");
        foreach (var page in pages)
        {
            Assert.Equal("assets_ready", await fixture.StatusOfAsync(page));
        }
    }

    [Fact]
    public async Task The_sweep_repairs_what_no_webhook_announced()
    {
        var page = fixture.AddPage("Quiet change");
        await fixture.DeliverEventsAsync();
        await Eventually.GetAsync(() => fixture.StatusOfAsync(page), s => s == "draft", Long, "the task made from the new page");
        await Eventually.GetAsync(() => Task.FromResult(fixture.StatusesWritten(page)), s => s.Count > 0, Long, "the draft written back");

        // A person queues it; the webhook is lost. A new page is added; its webhook is lost too.
        fixture.Notion.EditAsPerson(page, new Dictionary<string, object?> { ["Status"] = "Queued" });
        var unannounced = fixture.AddPage("Never announced", "Queued");
        fixture.Notion.TakeEvents();

        var sweep = await fixture.SweepAsync();
        output.WriteLine(sweep.ToString());
        var studio = sweep.GetProperty("items").EnumerateArray().Single();
        // Other tests' pages are in the same database: at least these two.
        Assert.True(studio.GetProperty("outcomes").GetProperty("moved").GetInt32() >= 1);
        Assert.True(studio.GetProperty("outcomes").GetProperty("created").GetInt32() >= 1);

        await H.WaitForStatusAsync(page, WorkflowStatus.AssetsReady, Long);
        await H.WaitForStatusAsync(unannounced, WorkflowStatus.AssetsReady, Long);
        var state = await H.Orleans.GetGrain<INotionPageGrain>(page).GetState();
        Assert.Equal("studio", state.ChannelId);
    }

    private int Reads(string page) => fixture.Notion.RequestsTo("GET", "/v1/pages/").Count(r => r.Request.Path.EndsWith(page, StringComparison.OrdinalIgnoreCase));
}
