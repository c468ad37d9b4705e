namespace Pipeline.TestSilo;

[GenerateSerializer]
public sealed record ProbeState
{
    [Id(0)] public string Value { get; init; } = "";
    [Id(1)] public int Writes { get; init; }
    [Id(2)] public List<DateTime> ReminderFirings { get; init; } = [];
}
