using Pipeline.Grains.Workspace;

namespace Pipeline.Tests.Steps;

/// <summary>Ids from users and Notion name folders: none of them may lead outside the workspace root.</summary>
public sealed class TaskWorkspaceTests
{
    private static readonly WorkspaceOptions Options = new("/srv/pipeline/workspaces", "/srv/pipeline/outbox");

    [Fact]
    public void A_task_lives_under_its_channel()
    {
        var workspace = TaskWorkspace.For(Options, "wild-africa", "t-abc_123");

        Assert.Equal("/srv/pipeline/workspaces/wild-africa/t-abc_123", workspace.Directory);
        Assert.Equal("/srv/pipeline/workspaces/wild-africa/t-abc_123/plan.json", workspace.PlanFile);
        Assert.Equal("/srv/pipeline/workspaces/wild-africa/t-abc_123/videos/scene-01.mp4", workspace.Resolve("videos/scene-01.mp4"));
    }

    [Theory]
    [InlineData("..", "t-1")]
    [InlineData("wild-africa", "..")]
    [InlineData("wild-africa", "../other")]
    [InlineData("wild/africa", "t-1")]
    [InlineData("wild-africa", "t-1/../../x")]
    [InlineData("", "t-1")]
    [InlineData("wild-africa", ".hidden")]
    [InlineData("wild-africa", "t-1\n")]
    public void Ids_that_are_not_plain_names_are_refused(string channelId, string taskId) =>
        Assert.Throws<ArgumentException>(() => TaskWorkspace.For(Options, channelId, taskId));

    [Theory]
    [InlineData("../other-task/plan.json")]
    [InlineData("/etc/passwd")]
    [InlineData("assets/../../x.png")]
    public void A_relative_path_that_leaves_the_workspace_is_refused(string path) =>
        Assert.Throws<ArgumentException>(() => TaskWorkspace.For(Options, "c", "t").Resolve(path));
}
