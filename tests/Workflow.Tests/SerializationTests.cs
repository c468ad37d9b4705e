using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Pipeline.Grains.Abstractions.Workflow;
using Xunit;

namespace Pipeline.Workflow.Tests;

// Grains hand these to the gateway and keep statuses in persisted state, so they must cross Orleans' serializer intact.
public class SerializationTests
{
    private static readonly Serializer Serializer =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void Allowed_check_survives_the_Orleans_serializer()
    {
        var check = WorkflowDefinition.Check(WorkflowStatus.VideoReady, WorkflowStatus.VideoApproved, Actor.Human);

        Assert.Equal(check, RoundTrip(check));
    }

    [Fact]
    public void Refused_check_survives_the_Orleans_serializer_with_its_reason()
    {
        var check = WorkflowDefinition.Check(WorkflowStatus.GeneratingVideo, WorkflowStatus.Published, Actor.Human);

        var copy = RoundTrip(check);

        Assert.Equal(check, copy);
        Assert.Equal(check.Reason, copy.Reason);
    }

    [Fact]
    public void Transition_rules_and_every_status_survive_the_Orleans_serializer()
    {
        Assert.All(WorkflowDefinition.Transitions, rule => Assert.Equal(rule, RoundTrip(rule)));
        Assert.All(Enum.GetValues<WorkflowStatus>(), status => Assert.Equal(status, RoundTrip(status)));
        Assert.All(Enum.GetValues<ReviewGate>(), gate => Assert.Equal(gate, RoundTrip(gate)));
    }

    private static T RoundTrip<T>(T value) =>
        Serializer.Deserialize<T>(Serializer.SerializeToArray(value)) ?? throw new InvalidOperationException("deserialized to null");
}
