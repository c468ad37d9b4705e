using System.Diagnostics;
using System.Net;

namespace Pipeline.Benchmarks.Webhooks;

/// <summary>
/// Sends requests at a fixed rate whatever the answers do (open loop): a slow answer never delays the next request,
/// so queueing in the target shows up in the latencies instead of lowering the rate.
/// </summary>
public sealed class OpenLoop(HttpClient client, Uri url)
{
    public async Task<RateResult> RunAsync(IReadOnlyList<SignedEvent> events, int rate)
    {
        var count = events.Count;
        var latencies = new double[count];
        var lags = new double[count];
        var accepted = new bool[count];
        var tasks = new Task[count];
        var ticksPerRequest = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();

        // A dedicated thread paces the sends: sleeping a millisecond at a time costs no core while the target works,
        // and requests due meanwhile go out together as soon as it wakes.
        var pacer = new Thread(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var due = start + (long)(i * ticksPerRequest);
                while (Stopwatch.GetTimestamp() < due)
                {
                    Thread.Sleep(1);
                }

                lags[i] = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
                tasks[i] = SendAsync(events[i], i, latencies, accepted);
            }
        })
        { IsBackground = true, Name = "pacer", Priority = ThreadPriority.AboveNormal };
        pacer.Start();
        pacer.Join();
        await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;

        var ok = accepted.Count(a => a);
        return new RateResult(
            rate,
            count,
            ok,
            count - ok,
            ok / elapsed,
            Percentiles.Of([.. latencies.Where((_, i) => accepted[i])]),
            Percentiles.Of(lags));
    }

    private async Task SendAsync(SignedEvent signed, int index, double[] latencies, bool[] accepted)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(signed.Body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("X-Notion-Signature", signed.Signature);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            accepted[index] = response.StatusCode == HttpStatusCode.Accepted;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Counted as an error by the caller.
        }
    }

    /// <summary>A client for many concurrent HTTP/1.1 requests to one loopback server.</summary>
    public static HttpClient CreateClient(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        // No traceparent header: the floor and the gateway should parse the same request.
        ActivityHeadersPropagator = null,
    })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };
}
