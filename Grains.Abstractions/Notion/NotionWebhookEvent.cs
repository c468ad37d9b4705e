namespace Pipeline.Grains.Abstractions.Notion;

/// <summary>
/// One webhook event from Notion. It names what changed, not the new values: it is a cue to read the
/// page again. Deliveries can be late, repeated or out of order, so dedupe on <see cref="Id"/> and
/// trust the page, not the event.
/// </summary>
/// <param name="Id">The event's id, the same on every delivery attempt of it.</param>
/// <param name="Type">What happened, e.g. <c>page.properties_updated</c> (see <see cref="NotionWebhookEventTypes"/>).</param>
/// <param name="Timestamp">When it happened (UTC).</param>
/// <param name="Entity">What it happened to.</param>
/// <param name="Authors">Who made the change: people, bots (our own integration's edits come back too) or agents.</param>
/// <param name="AttemptNumber">Which delivery attempt this is (1 to 8).</param>
/// <param name="WorkspaceId">The workspace, when given.</param>
/// <param name="SubscriptionId">The webhook subscription, when given.</param>
/// <param name="IntegrationId">The integration, when given.</param>
/// <param name="ApiVersion">The API version the event is shaped by, when given.</param>
/// <param name="Parent">The entity's parent from <c>data.parent</c> (for a page in a database: the database and its data source).</param>
/// <param name="UpdatedProperties">For <c>page.properties_updated</c>: the ids (not names) of the properties that changed.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.NotionWebhookEvent")]
public sealed record NotionWebhookEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTime Timestamp,
    [property: Id(3)] NotionWebhookEntity Entity,
    [property: Id(4)] IReadOnlyList<NotionWebhookAuthor> Authors,
    [property: Id(5)] int AttemptNumber,
    [property: Id(6)] string? WorkspaceId,
    [property: Id(7)] string? SubscriptionId,
    [property: Id(8)] string? IntegrationId,
    [property: Id(9)] string? ApiVersion,
    [property: Id(10)] NotionWebhookParent? Parent,
    [property: Id(11)] IReadOnlyList<string> UpdatedProperties)
{
    /// <summary>Whether the event is about a page (its <see cref="Entity"/> is one).</summary>
    public bool IsAboutPage => Entity.Type == "page";

    /// <summary>
    /// Whether every author is <paramref name="authorId"/>: an edit our own integration made coming back.
    /// An event with no authors is not ours.
    /// </summary>
    /// <param name="authorId">Our integration's bot user id.</param>
    /// <returns>True when only that author made the change.</returns>
    public bool IsOnlyBy(string authorId) => Authors.Count > 0 && Authors.All(a => a.Id == authorId);
}

/// <summary>What an event happened to.</summary>
/// <param name="Id">Its id (for a page: the page id).</param>
/// <param name="Type">Its kind: <c>page</c>, <c>database</c>, <c>data_source</c>, <c>comment</c>, …</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.NotionWebhookEntity")]
public sealed record NotionWebhookEntity([property: Id(0)] string Id, [property: Id(1)] string Type);

/// <summary>Who made a change.</summary>
/// <param name="Id">The user, bot or agent id.</param>
/// <param name="Type"><c>person</c>, <c>bot</c> or <c>agent</c>.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.NotionWebhookAuthor")]
public sealed record NotionWebhookAuthor([property: Id(0)] string Id, [property: Id(1)] string Type);

/// <summary>An event entity's parent.</summary>
/// <param name="Id">The parent's id (for a page in a database: the database id).</param>
/// <param name="Type">The parent's kind, e.g. <c>database</c>, <c>page</c>, <c>space</c>.</param>
/// <param name="DataSourceId">For a database parent on data-source API versions: the data source the page is in.</param>
[GenerateSerializer]
[Immutable]
[Alias("Pipeline.NotionWebhookParent")]
public sealed record NotionWebhookParent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string? DataSourceId);
