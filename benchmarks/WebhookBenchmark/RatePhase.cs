namespace Pipeline.Benchmarks.Webhooks;

/// <summary>One rate, floor and gateway one after the other.</summary>
/// <param name="Stored">Whether every event the gateway accepted was stored (notion_events), and how long after the last request that was.</param>
public sealed record RatePhase(
    int Rate,
    RateResult Floor,
    IReadOnlyDictionary<string, double> FloorCpu,
    RateResult Gateway,
    IReadOnlyDictionary<string, double> GatewayCpu,
    (bool All, TimeSpan After) Stored);
