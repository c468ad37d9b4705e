using System.Text.Json;
using Pipeline.ApiGateway.Problems;
using Pipeline.Grains.Abstractions.Plans;
using Pipeline.Grains.Abstractions.Tasks;

namespace Pipeline.ApiGateway.Tasks;

/// <summary>The body of <c>POST /tasks</c>. Everything is optional to the JSON reader so that validation can name every missing field at once.</summary>
/// <param name="Id">The task id; generated when absent.</param>
/// <param name="ChannelId">The channel (required; must exist and be enabled).</param>
/// <param name="Title">1 to 200 characters.</param>
/// <param name="Topic">What the video is about.</param>
/// <param name="StoryDirection">How the story should go.</param>
/// <param name="Priority">-100 to 100, higher runs first; 0 when absent.</param>
/// <param name="Plan">A production plan (docs/plan.md), checked field by field.</param>
/// <param name="Queue">Start in queued instead of draft.</param>
/// <param name="By">Who creates it; "api" when absent.</param>
public sealed record CreateTaskRequest(
    string? Id = null,
    string? ChannelId = null,
    string? Title = null,
    string? Topic = null,
    string? StoryDirection = null,
    int? Priority = null,
    JsonElement? Plan = null,
    bool? Queue = null,
    string? By = null)
{
    public const int MaxTitleLength = 200;
    public const int MaxTextLength = 10_000;
    public const int MaxChannelIdLength = 100;
    public const int MinPriority = -100;
    public const int MaxPriority = 100;

    // Plans hold a few dozen scenes; a megabyte is far beyond any real one, and grain state must stay small.
    public const int MaxPlanLength = 1_000_000;

    /// <summary>Checks the request; on success, the task's id (given or new) and what to create.</summary>
    /// <param name="request">The body; null when none was sent.</param>
    /// <param name="errors">Where problems go, by field.</param>
    /// <param name="newId">Makes an id when the request has none.</param>
    /// <returns>The id and the task, or null when <paramref name="errors"/> has something.</returns>
    public static (string Id, NewTask Task)? Validate(CreateTaskRequest? request, ValidationErrors errors, Func<string> newId)
    {
        if (request is null)
        {
            errors.Add("body", "A JSON object with at least channel_id and title is required.");
            return null;
        }

        string? id = null;
        if (request.Id is not null)
        {
            if (TaskIds.IsValid(request.Id))
            {
                id = request.Id;
            }
            else
            {
                errors.Add("id", $"A task id is {TaskIds.Rule}.");
            }
        }

        var channelId = request.ChannelId?.Trim();
        if (string.IsNullOrEmpty(channelId))
        {
            errors.Add("channel_id", "Required: the id of a channel in channels.yaml.");
        }
        else if (channelId.Length > MaxChannelIdLength)
        {
            errors.Add("channel_id", $"At most {MaxChannelIdLength} characters.");
        }

        var title = request.Title?.Trim();
        if (string.IsNullOrEmpty(title))
        {
            errors.Add("title", "Required: the video's working title.");
        }
        else if (title.Length > MaxTitleLength)
        {
            errors.Add("title", $"At most {MaxTitleLength} characters (got {title.Length}).");
        }

        var topic = errors.OptionalText("topic", request.Topic, MaxTextLength);
        var storyDirection = errors.OptionalText("story_direction", request.StoryDirection, MaxTextLength);
        if (request.Priority is < MinPriority or > MaxPriority)
        {
            errors.Add("priority", $"Must be from {MinPriority} to {MaxPriority} (got {request.Priority}).");
        }

        string? plan = null;
        if (request.Plan is { } element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                errors.Add("plan", $"Must be a JSON object (got {element.ValueKind.ToString().ToLowerInvariant()}).");
            }
            else
            {
                plan = element.GetRawText();
                if (plan.Length > MaxPlanLength)
                {
                    errors.Add("plan", $"At most {MaxPlanLength} characters of JSON.");
                }
                else
                {
                    // Each problem under its own field (plan.scenes[2].duration), as docs/plan.md names them.
                    foreach (var error in PlanReader.Read(element).Errors)
                    {
                        errors.Add(error.Path.Length == 0 ? "plan" : $"plan.{error.Path}", error.Message);
                    }
                }
            }
        }

        var by = errors.OptionalText("by", request.By, HumanActions.MaxByLength) ?? HumanActions.DefaultBy;
        if (!errors.IsEmpty)
        {
            return null;
        }

        return (id ?? newId(), new NewTask(
            channelId!,
            title!,
            topic,
            storyDirection,
            request.Priority ?? 0,
            plan,
            request.Queue ?? false,
            by));
    }
}
