using Pipeline.Tests.Fakes;

namespace Pipeline.Tests.Infrastructure;

/// <summary>A Slack incoming webhook on 127.0.0.1: records the text of every message posted to it.</summary>
public sealed class FakeSlack : FakeHttpServer
{
    private const string HookPath = "/services/T000/B000/XXXX/";

    // Incoming webhooks carry no key: the secret is the URL itself.
    public FakeSlack()
        : base("Authorization", "", (status, message) => FakeResponse.Text(status, message)) =>
        Map("POST", HookPath, _ => FakeResponse.Text(200, "ok"), open: true);

    public string Url => BaseUrl + HookPath;

    /// <summary>The text of each message posted, in order.</summary>
    public IReadOnlyList<string> Messages =>
        [.. RequestsTo(HookPath).Select(r => r.Json().GetProperty("text").GetString() ?? "")];
}
