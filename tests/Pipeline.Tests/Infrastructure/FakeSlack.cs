using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Pipeline.Tests.Infrastructure;

/// <summary>A Slack incoming webhook on 127.0.0.1: records the text of every message posted to it.</summary>
public sealed class FakeSlack : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public FakeSlack()
    {
        Url = $"http://127.0.0.1:{FreePort.Next()}/services/T000/B000/XXXX/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _serving = ServeAsync();
    }

    public string Url { get; }

    public ConcurrentQueue<string> Messages { get; } = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using (var body = await JsonDocument.ParseAsync(context.Request.InputStream))
            {
                Messages.Enqueue(body.RootElement.GetProperty("text").GetString() ?? "");
            }

            // Slack answers a plain "ok".
            context.Response.StatusCode = 200;
            await context.Response.OutputStream.WriteAsync("ok"u8.ToArray());
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
