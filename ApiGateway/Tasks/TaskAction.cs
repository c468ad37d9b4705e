using Pipeline.Grains.Abstractions.Tasks;

namespace Pipeline.ApiGateway.Tasks;

/// <summary>The things a person can do to a task through the API (each is a task grain command).</summary>
public enum TaskAction
{
    Queue,
    Approve,
    Reject,
    Retry,
    Cancel,
}

/// <summary>Names and dispatch of <see cref="TaskAction"/>.</summary>
public static class TaskActions
{
    /// <summary>The names as the API spells them (the route segment and the bulk <c>action</c>).</summary>
    public static IReadOnlyList<string> Names { get; } = ["queue", "approve", "reject", "retry", "cancel"];

    public static string Name(this TaskAction action) => Names[(int)action];

    public static bool TryParse(string? name, out TaskAction action)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                action = (TaskAction)i;
                return true;
            }
        }

        action = default;
        return false;
    }

    public static Task<TaskCommandResult> SendTo(this TaskAction action, ITaskGrain task, HumanAction human) => action switch
    {
        TaskAction.Queue => task.Queue(human),
        TaskAction.Approve => task.Approve(human),
        TaskAction.Reject => task.Reject(human),
        TaskAction.Retry => task.Retry(human),
        TaskAction.Cancel => task.Cancel(human),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not a task action"),
    };
}
