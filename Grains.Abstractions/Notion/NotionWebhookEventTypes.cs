namespace Pipeline.Grains.Abstractions.Notion;

/// <summary>The webhook event types Pipeline acts on (Notion sends more; unknown ones are read all the same).</summary>
public static class NotionWebhookEventTypes
{
    /// <summary>A page was created (in a database: a new row).</summary>
    public const string PageCreated = "page.created";

    /// <summary>Some of a page's properties changed; the event names their ids.</summary>
    public const string PagePropertiesUpdated = "page.properties_updated";

    /// <summary>A page's content (its blocks, e.g. the plan's code block) changed.</summary>
    public const string PageContentUpdated = "page.content_updated";

    /// <summary>A page was moved to the trash.</summary>
    public const string PageDeleted = "page.deleted";

    /// <summary>A page came back from the trash.</summary>
    public const string PageUndeleted = "page.undeleted";

    /// <summary>A page was moved elsewhere (possibly out of the database).</summary>
    public const string PageMoved = "page.moved";
}
