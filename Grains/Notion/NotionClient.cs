using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pipeline.Grains.Notion;

/// <summary>
/// Our Notion API client (no SDK is available from our registry): databases, data sources and their
/// queries with pagination, pages and their properties, and a page's blocks. Every request waits at the
/// <see cref="INotionRequestGate"/> first, and a 429 is reported to it so the whole cluster backs off.
/// Failures are <see cref="NotionException"/>s that say whether a retry can help; transient ones are
/// retried here up to <see cref="NotionOptions.MaxRetries"/> times.
/// </summary>
public sealed partial class NotionClient
{
    private readonly ConcurrentDictionary<string, string> _dataSourceOfDatabase = new(StringComparer.Ordinal);
    private readonly NotionOptions _options;

    /// <param name="http">Sends the requests (its Timeout bounds each one).</param>
    /// <param name="options">Base URL, token, version, retries.</param>
    /// <param name="gate">The cluster-wide request gate; none lets every request through.</param>
    /// <param name="logger">Where retries are logged.</param>
    /// <param name="clock">The clock for Retry-After dates and waits.</param>
    public NotionClient(
        HttpClient http, NotionOptions options, INotionRequestGate? gate = null, ILogger<NotionClient>? logger = null, TimeProvider? clock = null)
    {
        _http = http;
        _options = options;
        _gate = gate ?? OpenNotionRequestGate.Instance;
        _logger = logger ?? NullLogger<NotionClient>.Instance;
        _clock = clock ?? TimeProvider.System;
        var baseUrl = options.BaseUrl.AbsoluteUri;
        _baseUrl = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
    }

    /// <summary>The options in force.</summary>
    public NotionOptions Options => _options;

    /// <summary>Reads a database: its data sources (data-source versions) or its schema (older versions).</summary>
    /// <param name="databaseId">The database id.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The database.</returns>
    public async Task<NotionDatabase> GetDatabaseAsync(string databaseId, CancellationToken cancellationToken = default)
    {
        var path = $"v1/databases/{PathId(databaseId)}";
        using var answer = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        return Read(answer, path, NotionReader.Database);
    }

    /// <summary>Reads a data source's schema (data-source versions).</summary>
    /// <param name="dataSourceId">The data source id.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The data source.</returns>
    public async Task<NotionDataSource> GetDataSourceAsync(string dataSourceId, CancellationToken cancellationToken = default)
    {
        var path = $"v1/data_sources/{PathId(dataSourceId)}";
        using var answer = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        return Read(answer, path, NotionReader.DataSource);
    }

    /// <summary>
    /// The id of a database's one data source, read once and remembered. A database with none or with
    /// several is refused (a permanent <see cref="NotionException"/>): name the data source instead.
    /// </summary>
    /// <param name="databaseId">The database id.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The data source id.</returns>
    public async Task<string> ResolveDataSourceIdAsync(string databaseId, CancellationToken cancellationToken = default)
    {
        if (_dataSourceOfDatabase.TryGetValue(databaseId, out var known))
        {
            return known;
        }

        var database = await GetDatabaseAsync(databaseId, cancellationToken);
        if (database.DataSources is not [var only])
        {
            throw new NotionException(
                null, NotionException.AmbiguousDatabaseCode,
                $"database {databaseId} has {database.DataSources.Count} data sources ({string.Join(", ", database.DataSources.Select(s => $"{s.Name}: {s.Id}"))}); name the one to use",
                isTransient: false, retryAfter: null, $"GET /v1/databases/{databaseId}");
        }

        _dataSourceOfDatabase[databaseId] = only.Id;
        return only.Id;
    }

    /// <summary>One page of a data source query.</summary>
    /// <param name="dataSourceId">The data source id.</param>
    /// <param name="query">Filter, sorts, page size.</param>
    /// <param name="startCursor">Where to go on from (a previous page's <see cref="NotionList{T}.NextCursor"/>), or null for the start.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The pages and where to go on from.</returns>
    public Task<NotionList<NotionPage>> QueryDataSourcePageAsync(
        string dataSourceId, NotionQuery query, string? startCursor = null, CancellationToken cancellationToken = default) =>
        QueryPageAsync($"v1/data_sources/{PathId(dataSourceId)}/query", query, startCursor, cancellationToken);

    /// <summary>Every page a data source query matches, following the cursors (one request per page of results).</summary>
    /// <param name="dataSourceId">The data source id.</param>
    /// <param name="query">Filter, sorts, page size.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The pages, in the query's order.</returns>
    public IAsyncEnumerable<NotionPage> QueryDataSourceAsync(
        string dataSourceId, NotionQuery query, CancellationToken cancellationToken = default) =>
        Paginate((cursor, ct) => QueryDataSourcePageAsync(dataSourceId, query, cursor, ct), cancellationToken);

    /// <summary>
    /// One page of a database query. On data-source versions this queries the database's one data source
    /// (see <see cref="ResolveDataSourceIdAsync"/>); on older versions it is the database query endpoint.
    /// </summary>
    /// <param name="databaseId">The database id.</param>
    /// <param name="query">Filter, sorts, page size.</param>
    /// <param name="startCursor">Where to go on from, or null for the start.</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The pages and where to go on from.</returns>
    public async Task<NotionList<NotionPage>> QueryDatabasePageAsync(
        string databaseId, NotionQuery query, string? startCursor = null, CancellationToken cancellationToken = default)
    {
        if (!_options.UsesDataSources)
        {
            return await QueryPageAsync($"v1/databases/{PathId(databaseId)}/query", query, startCursor, cancellationToken);
        }

        var dataSourceId = await ResolveDataSourceIdAsync(databaseId, cancellationToken);
        return await QueryDataSourcePageAsync(dataSourceId, query, startCursor, cancellationToken);
    }

    /// <summary>Every page a database query matches (see <see cref="QueryDatabasePageAsync"/>), following the cursors.</summary>
    /// <param name="databaseId">The database id.</param>
    /// <param name="query">Filter, sorts, page size.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The pages, in the query's order.</returns>
    public IAsyncEnumerable<NotionPage> QueryDatabaseAsync(
        string databaseId, NotionQuery query, CancellationToken cancellationToken = default) =>
        Paginate((cursor, ct) => QueryDatabasePageAsync(databaseId, query, cursor, ct), cancellationToken);

    /// <summary>Reads a page and its properties.</summary>
    /// <param name="pageId">The page id (with or without dashes).</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The page.</returns>
    public async Task<NotionPage> GetPageAsync(string pageId, CancellationToken cancellationToken = default)
    {
        var path = $"v1/pages/{PathId(pageId)}";
        using var answer = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        return Read(answer, path, NotionReader.Page);
    }

    /// <summary>The integration's own bot user (<c>GET /v1/users/me</c>): the author of every edit made through this token.</summary>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The bot user's id.</returns>
    public async Task<string> GetOwnUserIdAsync(CancellationToken cancellationToken = default)
    {
        const string Path = "v1/users/me";
        using var answer = await SendAsync(HttpMethod.Get, Path, null, cancellationToken);
        return Read(answer, Path, user => NotionReader.IsObject(user, "user") && user.TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException("a user without an id"));
    }

    /// <summary>
    /// Sets some of a page's properties (the others stay as they are). Setting the same values again changes
    /// nothing, so a retried update is harmless.
    /// </summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="properties">The values by property name (or id).</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The page as it is after the update.</returns>
    public async Task<NotionPage> UpdatePagePropertiesAsync(
        string pageId, IReadOnlyDictionary<string, NotionPropertyValue> properties, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(properties.Count, nameof(properties));
        var values = new JsonObject();
        foreach (var (name, value) in properties)
        {
            values[name] = value.ToJson();
        }

        var path = $"v1/pages/{PathId(pageId)}";
        using var answer = await SendAsync(HttpMethod.Patch, path, new JsonObject { ["properties"] = values }, cancellationToken);
        return Read(answer, path, NotionReader.Page);
    }

    /// <summary>One page of a block's (or page's) children.</summary>
    /// <param name="blockId">The block or page id.</param>
    /// <param name="startCursor">Where to go on from, or null for the start.</param>
    /// <param name="pageSize">Blocks per request (1 to 100).</param>
    /// <param name="cancellationToken">Stops the call.</param>
    /// <returns>The blocks and where to go on from.</returns>
    public async Task<NotionList<NotionBlock>> GetBlockChildrenPageAsync(
        string blockId, string? startCursor = null, int pageSize = NotionQuery.MaxPageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, NotionQuery.MaxPageSize);
        var path = $"v1/blocks/{PathId(blockId)}/children?page_size={pageSize}"
            + (startCursor is null ? "" : $"&start_cursor={Uri.EscapeDataString(startCursor)}");
        using var answer = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        return Read(answer, path, list => NotionReader.List(list, NotionReader.Block, b => NotionReader.IsObject(b, "block")));
    }

    /// <summary>A block's (or page's) direct children, following the cursors; nested blocks are not read.</summary>
    /// <param name="blockId">The block or page id.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The blocks in page order.</returns>
    public IAsyncEnumerable<NotionBlock> GetBlockChildrenAsync(string blockId, CancellationToken cancellationToken = default) =>
        Paginate((cursor, ct) => GetBlockChildrenPageAsync(blockId, cursor, NotionQuery.MaxPageSize, ct), cancellationToken);

    /// <summary>
    /// The text of the page's plan: its first top-level code block in language <c>json</c>, or else its first
    /// code block whose text is a JSON object (people forget to pick the language). Null when there is none.
    /// The text is not checked as a plan here; <c>PlanReader</c> does that.
    /// </summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <returns>The JSON text, or null.</returns>
    public async Task<string?> FindJsonCodeBlockAsync(string pageId, CancellationToken cancellationToken = default)
    {
        string? fallback = null;
        await foreach (var block in GetBlockChildrenAsync(pageId, cancellationToken))
        {
            if (block is not { Type: "code", InTrash: false, Text: { } text })
            {
                continue;
            }

            if (string.Equals(block.CodeLanguage, "json", StringComparison.OrdinalIgnoreCase))
            {
                return text;
            }

            fallback ??= IsJsonObject(text) ? text : null;
        }

        return fallback;
    }

    private async Task<NotionList<NotionPage>> QueryPageAsync(
        string path, NotionQuery query, string? startCursor, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, NotionQuery.MaxPageSize);
        var body = new JsonObject { ["page_size"] = query.PageSize };
        if (query.Filter is { } filter)
        {
            body["filter"] = filter.ToJson();
        }

        if (query.Sorts is { Count: > 0 } sorts)
        {
            body["sorts"] = new JsonArray([.. sorts.Select(s => (JsonNode)s.ToJson())]);
        }

        if (startCursor is not null)
        {
            body["start_cursor"] = startCursor;
        }

        using var answer = await SendAsync(HttpMethod.Post, path, body, cancellationToken);
        // A query can also list child data sources (a wiki); only pages are rows.
        return Read(answer, path, list => NotionReader.List(list, NotionReader.Page, r => NotionReader.IsObject(r, "page")));
    }

    private static async IAsyncEnumerable<T> Paginate<T>(
        Func<string?, CancellationToken, Task<NotionList<T>>> fetch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        while (true)
        {
            var page = await fetch(cursor, cancellationToken);
            foreach (var item in page.Results)
            {
                yield return item;
            }

            if (!page.HasMore)
            {
                yield break;
            }

            if (page.NextCursor == cursor)
            {
                // A cursor that does not move would loop for ever.
                throw new NotionException(null, NotionException.InvalidResponseCode, $"the cursor {cursor} came back as the next cursor",
                    isTransient: false, retryAfter: null, "pagination");
            }

            cursor = page.NextCursor;
        }
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Ids go into the path: anything but letters, digits and dashes (a UUID with or without them) is refused
    // here rather than sent somewhere else.
    private static string PathId(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? id
            : throw new ArgumentException($"'{id}' is not a Notion id.", nameof(id));
    }
}
