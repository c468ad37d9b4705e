namespace Pipeline.Grains.Steps;

/// <summary>
/// One simulated provider call as the simulated executor saw it (times UTC, from this machine's clock).
/// What benchmarks/ProviderBenchmark reads back to measure the limiter.
/// </summary>
/// <param name="Provider">The provider (<see cref="Providers"/>).</param>
/// <param name="Channel">The task's channel.</param>
/// <param name="Task">The task.</param>
/// <param name="Job">The job within the task.</param>
/// <param name="Silo">The silo that ran it.</param>
/// <param name="RequestedAt">When the job asked for a slot (for local jobs: when it started).</param>
/// <param name="GrantedAt">When the lease reached the job (the limiter's own grant time is a little earlier: its
/// write to storage and the answer's trip lie between); for local jobs, when the job got a core.</param>
/// <param name="StartedAt">When the simulated call began.</param>
/// <param name="EndedAt">When it ended (before the slot is given back).</param>
/// <param name="ReleasedAt">When the limiter had the slot back (the release call returned).</param>
public sealed record ProviderCallRecord(
    string Provider,
    string Channel,
    string Task,
    string Job,
    string Silo,
    DateTime RequestedAt,
    DateTime GrantedAt,
    DateTime StartedAt,
    DateTime EndedAt,
    DateTime ReleasedAt);
