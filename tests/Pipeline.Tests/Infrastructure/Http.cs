namespace Pipeline.Tests.Infrastructure;

public static class Http
{
    public static HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Polls <paramref name="url"/> until it answers <paramref name="expected"/> or the time is up.</summary>
    public static async Task WaitForStatusAsync(string url, int expected, TimeSpan timeout, ChildProcess? owner = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (owner is { HasExited: true })
            {
                throw new InvalidOperationException($"The process behind {url} exited.\n{owner.OutputTail}");
            }

            try
            {
                using var response = await Client.GetAsync(url);
                if ((int)response.StatusCode == expected)
                {
                    return;
                }

                last = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException)
            {
                last = "timed out";
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{url} did not answer {expected} within {timeout}; last: {last}\n{owner?.OutputTail}");
    }
}
