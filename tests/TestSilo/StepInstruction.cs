namespace Pipeline.TestSilo;

public enum StepBehaviour
{
    Succeed,
    FailTransient,
    FailPermanent,

    /// <summary>Keep running until the test releases it (or the run is cancelled), then succeed.</summary>
    Hold,
}

/// <summary>What the next <see cref="Times"/> runs of a step do.</summary>
[GenerateSerializer]
public sealed record StepInstruction([property: Id(0)] StepBehaviour Behaviour, [property: Id(1)] int Times = 1);
