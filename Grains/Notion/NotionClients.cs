using Microsoft.Extensions.Logging;
using Pipeline.Grains.Abstractions.Channels;

namespace Pipeline.Grains.Notion;

/// <summary>
/// Notion clients for the silo's grains: one HTTP connection pool, and each client's requests going
/// through the cluster-wide Notion limiter in its channel's turn.
/// </summary>
public sealed partial class NotionClients(
    NotionOptions options, IGrainFactory grains, ILocalSiloDetails silo, TimeProvider clock, ILoggerFactory loggers) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private string? _ownUserId;

    /// <summary>Whether Notion is configured (NOTION_TOKEN set); without it nothing is read or written.</summary>
    public bool Enabled => options.IsConfigured;

    /// <summary>A client whose requests count against <paramref name="channelId"/>'s turn.</summary>
    /// <param name="channelId">The channel.</param>
    /// <param name="taskId">The task the requests are for.</param>
    /// <returns>The client.</returns>
    public NotionClient For(string channelId, string taskId) => new(
        _http, options,
        new LimiterNotionGate(grains, channelId, taskId, silo.SiloAddress.ToParsableString(), clock, loggers.CreateLogger<LimiterNotionGate>()),
        loggers.CreateLogger<NotionClient>(), clock);

    /// <summary>
    /// Our integration's bot user, asked once per silo (one request through the limiter); null while Notion has not
    /// said (asked again next time). Events authored by it alone are our own writes coming back.
    /// </summary>
    /// <returns>The bot user's id, or null.</returns>
    public async Task<string?> OwnUserIdAsync()
    {
        if (_ownUserId is { } known)
        {
            return known;
        }

        try
        {
            return _ownUserId = await For("notion", "users/me").GetOwnUserIdAsync();
        }
        catch (NotionException e)
        {
            LogOwnUserUnknown(loggers.CreateLogger<NotionClients>(), e.Message);
            return null;
        }
    }

    /// <summary>The channel whose database holds a page (by the database id, dashes or not), if any.</summary>
    /// <param name="channels">The channels.</param>
    /// <param name="databaseId">The page's database.</param>
    /// <returns>The channel, or null.</returns>
    public static ChannelConfig? ChannelOf(IEnumerable<ChannelConfig> channels, string? databaseId) =>
        databaseId is null ? null : channels.FirstOrDefault(c => c is { Enabled: true, Notion: { } notion } && SameId(notion.DatabaseId, databaseId));

    /// <summary>Whether two Notion ids are the same (Notion writes them with or without dashes).</summary>
    /// <param name="a">One id.</param>
    /// <param name="b">The other.</param>
    /// <returns>True when equal.</returns>
    public static bool SameId(string a, string b) =>
        string.Equals(a.Replace("-", "", StringComparison.Ordinal), b.Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notion did not say who our integration's bot user is ({Reason}); every event is read until it does")]
    private static partial void LogOwnUserUnknown(ILogger logger, string reason);
}
