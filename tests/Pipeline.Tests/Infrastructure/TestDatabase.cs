using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pipeline.Silo.Schema;

namespace Pipeline.Tests.Infrastructure;

/// <summary>
/// A fresh PostgreSQL database on the server scripts/test.sh started (PIPELINE_TEST_DB),
/// migrated with the real migration runner, dropped afterwards. One per test class, so
/// classes run in parallel without seeing each other's clusters or grains.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private static readonly string ServerConnectionString =
        Environment.GetEnvironmentVariable("PIPELINE_TEST_DB") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                "PIPELINE_TEST_DB is not set. Run the tests with scripts/test.sh, which starts a throwaway PostgreSQL.");

    public string Name { get; } = "test_" + Guid.NewGuid().ToString("N")[..16];

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>This database over the server's unix socket (PIPELINE_TEST_DB_LOCAL), as scripts/run.sh connects its silos.</summary>
    public string LocalConnectionString =>
        Environment.GetEnvironmentVariable("PIPELINE_TEST_DB_LOCAL") is { Length: > 0 } local
            ? new NpgsqlConnectionStringBuilder(local) { Database = Name }.ConnectionString
            : throw new InvalidOperationException(
                "PIPELINE_TEST_DB_LOCAL is not set. Run the tests with scripts/test.sh, which starts a throwaway PostgreSQL.");

    public async Task InitializeAsync()
    {
        await CreateEmptyAsync();
        await MigrateAsync(Repo.SqlDirectory);
    }

    /// <summary>Creates the database without applying sql/ (for migration tests).</summary>
    public async Task CreateEmptyAsync()
    {
        await using (var server = NpgsqlDataSource.Create(ServerConnectionString))
        {
            await using var create = server.CreateCommand($"CREATE DATABASE {Name}");
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = Name }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public Task<IReadOnlyList<string>> MigrateAsync(string sqlDirectory) =>
        new SchemaMigrator(DataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync(sqlDirectory);

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default : (T)value;
    }

    /// <summary>Runs a statement; returns the rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await using var server = NpgsqlDataSource.Create(ServerConnectionString);
        await using var drop = server.CreateCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }
}
