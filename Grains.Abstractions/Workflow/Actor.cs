namespace Pipeline.Grains.Abstractions.Workflow;

/// <summary>Who makes a transition.</summary>
[GenerateSerializer]
[Alias("Pipeline.Actor")]
public enum Actor
{
    /// <summary>The pipeline itself: grains, reminders, step results, channel auto-approval.</summary>
    System = 1,

    /// <summary>A person, through Notion or the admin API.</summary>
    Human = 2,
}
