using System.Diagnostics;
using System.Net;
using Pipeline.Grains.Notion;
using Pipeline.Tests.Fakes;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Notion;

/// <summary>How our client maps Notion's failures, retries the transient ones, and passes every request through the gate.</summary>
public sealed class NotionErrorTests : IAsyncLifetime
{
    private readonly FakeNotion _notion = new();
    private string _page = null!;

    public Task InitializeAsync()
    {
        var db = _notion.AddDatabase("Northern Forests");
        _page = _notion.AddPage(db.DataSourceId, new Dictionary<string, object?> { ["Name"] = "Moose", ["Status"] = "Queued" });
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(429, "rate_limited", "7", true)]
    [InlineData(409, "conflict_error", null, true)]
    [InlineData(500, "internal_server_error", null, true)]
    [InlineData(502, "bad_gateway", null, true)]
    [InlineData(503, "service_unavailable", "2", true)]
    [InlineData(504, "gateway_timeout", null, true)]
    [InlineData(400, "validation_error", null, false)]
    [InlineData(401, "unauthorized", null, false)]
    [InlineData(403, "restricted_resource", null, false)]
    [InlineData(404, "object_not_found", null, false)]
    public async Task Notion_errors_keep_their_status_code_and_message_and_say_whether_to_retry(int status, string code, string? retryAfter, bool transient)
    {
        _notion.FailNext(status, code, $"the fake says {code}", retryAfter);

        var e = await Assert.ThrowsAsync<NotionException>(() => NotionClients.For(_notion).GetPageAsync(_page));

        Assert.Equal(((HttpStatusCode)status, code, $"the fake says {code}", transient), (e.Status, e.Code, e.NotionMessage, e.IsTransient));
        Assert.Equal(retryAfter is null ? null : TimeSpan.FromSeconds(int.Parse(retryAfter)), e.RetryAfter);
        Assert.NotNull(e.RequestId);
        Assert.Contains($"GET /v1/pages/{_page}", e.Message);
        Assert.Contains(code, e.Message);
        Assert.DoesNotContain(FakeNotion.Token, e.ToString());
    }

    [Fact]
    public async Task A_wrong_token_is_a_permanent_401_and_appears_nowhere_in_the_error()
    {
        const string wrong = "ntn_wrong_token_that_must_not_leak";

        var e = await Assert.ThrowsAsync<NotionException>(() => NotionClients.For(_notion, token: wrong, maxRetries: 2).GetPageAsync(_page));

        Assert.Equal((HttpStatusCode.Unauthorized, "unauthorized", false), (e.Status, e.Code, e.IsTransient));
        Assert.DoesNotContain(wrong, e.ToString());
        Assert.Single(_notion.Requests);
    }

    [Fact]
    public async Task An_unknown_page_is_a_permanent_404_with_notions_message()
    {
        var e = await Assert.ThrowsAsync<NotionException>(() => NotionClients.For(_notion, maxRetries: 2).GetPageAsync(Guid.NewGuid().ToString()));

        Assert.Equal((HttpStatusCode.NotFound, "object_not_found", false), (e.Status, e.Code, e.IsTransient));
        Assert.Contains("shared with your integration", e.NotionMessage);
        Assert.Single(_notion.Requests);
    }

    [Fact]
    public async Task An_unknown_version_is_a_permanent_400()
    {
        var e = await Assert.ThrowsAsync<NotionException>(() => NotionClients.For(_notion, version: "2019-01-01").GetPageAsync(_page));

        Assert.Equal((HttpStatusCode.BadRequest, "validation_error", false), (e.Status, e.Code, e.IsTransient));
    }

    [Fact]
    public async Task A_read_only_integration_gets_a_permanent_403_on_update()
    {
        _notion.ReadOnly = true;

        var e = await Assert.ThrowsAsync<NotionException>(() => NotionClients.For(_notion).UpdatePagePropertiesAsync(_page,
            new Dictionary<string, NotionPropertyValue> { ["Status"] = new NotionStatus("Claimed") }));

        Assert.Equal((HttpStatusCode.Forbidden, "restricted_resource", false), (e.Status, e.Code, e.IsTransient));
    }

    [Fact]
    public async Task A_proxy_page_instead_of_notions_json_is_described_by_its_status()
    {
        _notion.AnswerNext(FakeResponse.Text(502, "<html>Bad Gateway</html>"));

        var e = await Assert.ThrowsAsync<NotionException>(() => NotionClients.For(_notion).GetPageAsync(_page));

        Assert.Equal((HttpStatusCode.BadGateway, "bad_gateway", true), (e.Status, e.Code, e.IsTransient));
        Assert.Contains("Bad Gateway", e.NotionMessage);
    }

    [Fact]
    public async Task No_answer_is_a_transient_network_error()
    {
        var closed = new FakeNotion();
        var client = NotionClients.For(closed);
        await closed.DisposeAsync();

        var e = await Assert.ThrowsAsync<NotionException>(() => client.GetPageAsync(_page));

        Assert.Null(e.Status);
        Assert.Equal((NotionException.NetworkErrorCode, true), (e.Code, e.IsTransient));
    }

    [Fact]
    public async Task An_answer_too_slow_is_a_transient_network_error()
    {
        _notion.ResponseDelay = TimeSpan.FromSeconds(2);

        var e = await Assert.ThrowsAsync<NotionException>(() => NotionClients.For(_notion, timeout: TimeSpan.FromMilliseconds(300)).GetPageAsync(_page));

        Assert.Equal((NotionException.NetworkErrorCode, true), (e.Code, e.IsTransient));
    }

    [Fact]
    public async Task A_429_is_reported_to_the_gate_and_retried_after_its_retry_after()
    {
        var gate = new RecordingNotionGate();
        _notion.FailNext(429, retryAfter: "1");
        var clock = Stopwatch.StartNew();

        var page = await NotionClients.For(_notion, maxRetries: 2, gate: gate).GetPageAsync(_page);

        Assert.Equal("Moose", page.Text("Name"));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.95), $"retried after {clock.Elapsed}");
        Assert.Equal([TimeSpan.FromSeconds(1)], gate.RetryAfterReports);
        Assert.Equal(2, gate.Entered);
        Assert.Equal([429, 200], _notion.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task Transient_failures_are_retried_a_bounded_number_of_times_and_permanent_ones_never()
    {
        _notion.FailNext(500, times: 3);
        var e = await Assert.ThrowsAsync<NotionException>(() => NotionClients.For(_notion, maxRetries: 2).GetPageAsync(_page));
        Assert.Equal(3, _notion.Requests.Count);
        Assert.True(e.IsTransient);

        _notion.FailNext(409, times: 1);
        var page = await NotionClients.For(_notion, maxRetries: 2).UpdatePagePropertiesAsync(_page,
            new Dictionary<string, NotionPropertyValue> { ["Status"] = new NotionStatus("Claimed") });
        Assert.Equal("Claimed", page.Text("Status"));

        _notion.FailNext(400, "validation_error", times: 3);
        await Assert.ThrowsAsync<NotionException>(() => NotionClients.For(_notion, maxRetries: 2).GetPageAsync(_page));
        Assert.Equal(6, _notion.Requests.Count);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_client_waits_is_left_to_the_caller()
    {
        _notion.FailNext(429, retryAfter: "120");
        var gate = new RecordingNotionGate();

        var e = await Assert.ThrowsAsync<NotionException>(() => NotionClients.For(_notion, maxRetries: 2, gate: gate).GetPageAsync(_page));

        Assert.Equal(TimeSpan.FromSeconds(120), e.RetryAfter);
        Assert.Equal([TimeSpan.FromSeconds(120)], gate.RetryAfterReports);
        Assert.Single(_notion.Requests);
    }

    [Fact]
    public async Task Every_request_goes_through_the_gate_and_a_spaced_gate_keeps_notion_under_three_a_second()
    {
        var gate = new RecordingNotionGate(spacing: TimeSpan.FromMilliseconds(450));
        var client = NotionClients.For(_notion, gate: gate);

        await Task.WhenAll(Enumerable.Range(0, 9).Select(_ => client.GetPageAsync(_page)));

        Assert.Equal(9, gate.Entered);
        Assert.Equal(0, gate.Inside);
        Assert.Equal(9, _notion.Requests.Count);
        Assert.InRange(_notion.MostRequestsWithin(TimeSpan.FromSeconds(1)), 1, 3);
    }

    [Fact]
    public async Task The_fake_rate_limits_like_notion_and_the_client_recovers_through_retry_after()
    {
        _notion.RequestsPerSecondLimit = 3;
        var gate = new RecordingNotionGate();
        var client = NotionClients.For(_notion, maxRetries: 3, gate: gate);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.GetPageAsync(_page)));

        Assert.Contains(_notion.Requests, r => r.Status == 429);
        Assert.Equal(5, _notion.Requests.Count(r => r.Status == 200));
        Assert.NotEmpty(gate.RetryAfterReports);
    }

    [Fact]
    public async Task Without_a_token_nothing_is_sent()
    {
        var client = new NotionClient(Http.Client, new NotionOptions { BaseUrl = new Uri(_notion.BaseUrl) });

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetPageAsync(_page));

        Assert.Empty(_notion.Requests);
        Assert.DoesNotContain("ntn_", new NotionOptions { Token = "ntn_secret" }.ToString());
    }

    public async Task DisposeAsync() => await _notion.DisposeAsync();
}
