namespace Pipeline.Grains.Notion;

/// <summary>What a data source (or database) query asks for.</summary>
/// <param name="Filter">Which pages; null for all.</param>
/// <param name="Sorts">Their order, first sort first; null or empty for Notion's default.</param>
/// <param name="PageSize">Pages per request (1 to 100).</param>
public sealed record NotionQuery(NotionFilter? Filter = null, IReadOnlyList<NotionSort>? Sorts = null, int PageSize = NotionQuery.MaxPageSize)
{
    /// <summary>The most results Notion gives in one request.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Every page, in Notion's default order.</summary>
    public static readonly NotionQuery All = new();
}
