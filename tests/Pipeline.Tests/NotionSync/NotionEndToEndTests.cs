using System.Net;
using System.Net.Http.Json;
using Pipeline.Grains.Abstractions.Workflow;
using Pipeline.Tests.Fakes;
using Pipeline.Tests.Steps;
using Xunit.Abstractions;

namespace Pipeline.Tests.NotionSync;

/// <summary>The whole way: a row made in Notion with Status = Queued becomes a published video, and the row shows each status it rests in.</summary>
public sealed class NotionEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_row_queued_in_notion_becomes_a_published_video_and_notion_shows_each_status_on_the_way()
    {
        await using var notion = new FakeNotion();
        var database = notion.AddDatabase("Films");
        await using var pipeline = await StepsEnvironment.StartAsync($$"""
            channels:
              - id: films
                name: Films
                auto_approve: [assets, video, audio, final]
                notion: { database_id: "{{database.DatabaseId}}" }
            """, spy: true, providers: [notion.Environment]);
        var spy = pipeline.Spy!;

        // Each work status's script is held until the row shows that status, then the hold moves to the next
        // script: the task rests in each status for as long as Notion takes, however fast the local steps are.
        (string Script, string Status)[] resting =
        [
            ("generate_asset ", "Generating Assets"), ("create_composite ", "Generating Composites"),
            ("generate_video ", "Generating Video"), ("generate_audio ", "Generating Audio"),
            ("generate_sound_effects ", "Generating SFX"), ("assemble_video ", "Assembling"),
        ];
        spy.Hold(resting[0].Script);
        var webhook = new Uri(pipeline.Harness.Api.BaseAddress!, "/webhook/notion").ToString();
        const string Token = "secret_films_subscription";
        Assert.Equal(HttpStatusCode.Accepted, (await notion.SendHandshakeAsync(webhook, Token)).StatusCode);
        (await pipeline.Harness.Api.PostAsJsonAsync("/notion/webhook/confirm", new { verification_token = Token })).EnsureSuccessStatusCode();

        // A person plans the video in Notion: title, topic, the plan in a json code block, and Status = Queued.
        var page = notion.AddPage(database.DataSourceId, new Dictionary<string, object?>
        {
            ["Name"] = "Lions at dawn",
            ["Topic"] = "A pride wakes",
            ["Priority"] = "High",
            ["Status"] = "Queued",
        }, SamplePlans.OneScene);
        foreach (var notionEvent in notion.TakeEvents())
        {
            Assert.Equal(HttpStatusCode.Accepted, (await notion.SendWebhookAsync(webhook, notionEvent, Token)).StatusCode);
        }

        for (var i = 0; i < resting.Length; i++)
        {
            var (script, status) = resting[i];
            await Infrastructure.Eventually.GetAsync(
                () => Task.FromResult((Held: spy.WasHeld(script), Row: notion.Text(page, "Status"))),
                seen => seen.Held && seen.Row == status, TimeSpan.FromMinutes(2), $"the row showing {status} while {script.Trim()} is held");
            if (i + 1 < resting.Length)
            {
                spy.Hold(resting[i + 1].Script);
            }
            else
            {
                spy.Release();
            }
        }

        await pipeline.Harness.WaitForStatusAsync(page, WorkflowStatus.Published, TimeSpan.FromMinutes(5));
        await Infrastructure.Eventually.GetAsync(() => Task.FromResult(notion.Text(page, "Status")), s => s == "Published", TimeSpan.FromSeconds(30), "the row showing Published");

        var written = notion.RequestsTo("PATCH", "/v1/pages/")
            .Where(r => r.Status == 200)
            .Select(r => r.Request.Json().GetProperty("properties"))
            .ToList();
        var statuses = written.Select(p => p.GetProperty("Status").GetProperty("status").GetProperty("name").GetString()!).ToList();
        output.WriteLine(string.Join(" → ", statuses));

        // Every status the task rested in was written, in the workflow's order (pass-through ones may be coalesced away).
        Assert.All(resting, r => Assert.Contains(r.Status, statuses));
        Assert.Equal("Published", statuses[^1]);
        var order = WorkflowDefinition.Statuses.Select(s => s.NotionName).ToList();
        Assert.Equal(statuses.Distinct().OrderBy(order.IndexOf), statuses.Distinct());

        // The last write carries the cost, no error, and the time.
        var last = written[^1];
        Assert.True(last.GetProperty("Cost").GetProperty("number").GetDecimal() >= 0);
        Assert.Equal(0, last.GetProperty("Error").GetProperty("rich_text").GetArrayLength());
        Assert.Equal("High", notion.Text(page, "Priority"));
        var task = Infrastructure.PipelineHarness.TaskOf(await pipeline.Harness.GetTaskAsync(page));
        Assert.Equal(("Lions at dawn", 1), (task.GetProperty("title").GetString(), task.GetProperty("priority").GetInt32()));
    }
}
