using Npgsql;
using Orleans;
using Orleans.Runtime;

namespace Pipeline.ApiGateway.Health;

/// <summary>The outcome of one readiness check: what was checked and, when it failed, why.</summary>
public sealed record ReadinessCheck(string Name, bool Ok, string Detail);

/// <summary>
/// Ready means the gateway can do its job: the database answers and the Orleans cluster has
/// at least one active silo. Each check has a short deadline so a hung dependency shows as
/// "not ready" instead of a hung probe.
/// </summary>
public sealed class ReadinessProbe(NpgsqlDataSource database, IClusterClient cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyList<ReadinessCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = await Task.WhenAll(CheckDatabaseAsync(cancellationToken), CheckClusterAsync(cancellationToken));
        return checks;
    }

    private async Task<ReadinessCheck> CheckDatabaseAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Deadline);
        try
        {
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return new ReadinessCheck("database", true, "reachable");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return new ReadinessCheck("database", false, $"unreachable: {Describe(e)}");
        }
    }

    private async Task<ReadinessCheck> CheckClusterAsync(CancellationToken cancellationToken)
    {
        try
        {
            var hosts = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)
                .WaitAsync(Deadline, cancellationToken);
            return hosts.Count > 0
                ? new ReadinessCheck("cluster", true, $"{hosts.Count} active silo(s)")
                : new ReadinessCheck("cluster", false, "no active silo");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new ReadinessCheck("cluster", false, $"unreachable: {Describe(e)}");
        }
    }

    private static string Describe(Exception e) =>
        e is OperationCanceledException or TimeoutException ? $"no answer within {Deadline.TotalSeconds:0} s" : e.Message;
}
