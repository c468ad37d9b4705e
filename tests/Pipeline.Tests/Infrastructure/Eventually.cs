namespace Pipeline.Tests.Infrastructure;

public static class Eventually
{
    /// <summary>
    /// Retries <paramref name="probe"/> until it returns a value that satisfies <paramref name="done"/>,
    /// tolerating the exceptions a cluster throws while it heals (a dead silo, a moving grain).
    /// </summary>
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "nothing yet";
        while (true)
        {
            try
            {
                var value = await probe();
                if (done(value))
                {
                    return value;
                }

                last = $"value {Show(value)}";
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                last = $"{e.GetType().Name}: {e.Message}";
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} did not happen within {timeout}; last: {last}");
            }

            await Task.Delay(250);
        }
    }

    private static string? Show<T>(T value) => value is System.Collections.IEnumerable items and not string
        ? $"[{string.Join(", ", items.Cast<object?>())}]"
        : value?.ToString();
}
