using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Pipeline.Grains.Notion;

/// <summary>
/// Where and how <see cref="NotionClient"/> talks to Notion. A class rather than a record, so the token
/// never shows up in a generated <c>ToString</c>.
/// </summary>
public sealed class NotionOptions
{
    /// <summary>The public API.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.notion.com");

    /// <summary>
    /// The API version sent by default: the newest one we know (data sources, <c>in_trash</c> only).
    /// Pages are read the same on 2025-09-03, which still sends <c>archived</c> as well.
    /// </summary>
    public const string DefaultVersion = "2026-03-11";

    /// <summary>The first version whose databases are containers of data sources (query the data source, not the database).</summary>
    public const string FirstDataSourceVersion = "2025-09-03";

    /// <summary>The API's base URL, without <c>/v1</c> (NOTION_BASE_URL; tests point it at a fake).</summary>
    public Uri BaseUrl { get; init; } = DefaultBaseUrl;

    /// <summary>The integration's secret (NOTION_TOKEN); null when Notion is not configured.</summary>
    public string? Token { get; init; }

    /// <summary>The <c>Notion-Version</c> header (NOTION_VERSION).</summary>
    public string Version { get; init; } = DefaultVersion;

    /// <summary>
    /// How many times a transient failure (429, 409, 5xx, a network error) is tried again inside one call,
    /// each time through the request gate again. 0 leaves every retry to the caller.
    /// </summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>The longest wait before such a retry; a longer Retry-After fails the call instead (the caller reschedules).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first backoff when Notion gives no Retry-After (doubled on each retry).</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether a token is set, i.e. whether Pipeline talks to Notion at all.</summary>
    public bool IsConfigured => !string.IsNullOrEmpty(Token);

    /// <summary>Whether <see cref="Version"/> is a data-source version (2025-09-03 or later; versions are dates, so they sort as text).</summary>
    public bool UsesDataSources => string.CompareOrdinal(Version, FirstDataSourceVersion) >= 0;

    /// <summary>Reads NOTION_TOKEN, NOTION_BASE_URL (default https://api.notion.com) and NOTION_VERSION (default <see cref="DefaultVersion"/>).</summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns>The options.</returns>
    public static NotionOptions From(IConfiguration configuration) => new()
    {
        Token = configuration["NOTION_TOKEN"] is { Length: > 0 } token ? token.Trim() : null,
        BaseUrl = configuration["NOTION_BASE_URL"] switch
        {
            null or "" => DefaultBaseUrl,
            var text when Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" => url,
            var text => throw new InvalidOperationException($"NOTION_BASE_URL must be an absolute http(s) URL; '{text}' is not."),
        },
        Version = configuration["NOTION_VERSION"] switch
        {
            null or "" => DefaultVersion,
            var text when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) => text,
            var text => throw new InvalidOperationException($"NOTION_VERSION must be a date such as {DefaultVersion}; '{text}' is not."),
        },
    };

    /// <inheritdoc />
    public override string ToString() =>
        $"Notion {BaseUrl} version {Version}, token {(IsConfigured ? "set" : "not set")}, {MaxRetries} retries";
}
