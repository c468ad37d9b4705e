using Pipeline.Grains.Abstractions.Notion;

namespace Pipeline.ApiGateway.Notion;

/// <summary>
/// The key Notion's webhook events are signed with: NOTION_WEBHOOK_SECRET when configured, else the verification
/// token the operator confirmed (kept by the webhook grain, asked again at most every few seconds, so checking a
/// signature costs no call to the cluster).
/// </summary>
public sealed class NotionSigningKey(IConfiguration configuration, IGrainFactory grains, TimeProvider clock)
{
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private readonly string? _configured = configuration["NOTION_WEBHOOK_SECRET"] is { Length: > 0 } secret ? secret : null;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (string? Key, DateTimeOffset At)? _confirmed;

    /// <summary>Whether the key comes from configuration.</summary>
    public bool FromConfiguration => _configured is not null;

    /// <summary>The key, or null when none is configured or confirmed (then nothing is accepted).</summary>
    /// <returns>The key.</returns>
    public async ValueTask<string?> GetAsync()
    {
        if (_configured is not null)
        {
            return _configured;
        }

        if (_confirmed is { } known && clock.GetUtcNow() - known.At < Freshness)
        {
            return known.Key;
        }

        await _refresh.WaitAsync();
        try
        {
            if (_confirmed is { } again && clock.GetUtcNow() - again.At < Freshness)
            {
                return again.Key;
            }

            var status = await grains.GetGrain<INotionWebhookGrain>(INotionWebhookGrain.Key).GetStatus();
            _confirmed = (status.SigningKey, clock.GetUtcNow());
            return status.SigningKey;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Forgets the cached key (after a confirmation through this gateway).</summary>
    public void Forget() => _confirmed = null;
}
