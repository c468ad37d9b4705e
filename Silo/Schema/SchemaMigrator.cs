using Microsoft.Extensions.Logging;
using Npgsql;

namespace Pipeline.Silo.Schema;

/// <summary>
/// Applies the files of <c>sql/</c> in order, each once and each in its own transaction,
/// and records them in <c>schema_migrations</c>. Running it again changes nothing; a file
/// edited after it was applied is refused rather than silently skipped.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    // Silos started side by side, or test classes sharing a server, all migrate at once:
    // a session-level advisory lock makes them take turns.
    private const long AdvisoryLockKey = 0x5049_5045_4C49_4E45; // "PIPELINE"

    /// <summary>Applies what is missing and returns the names of the files it applied.</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(string sqlDirectory, CancellationToken cancellationToken = default)
    {
        var scripts = MigrationScript.LoadAll(sqlDirectory);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name       text        PRIMARY KEY,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var applied = await ReadAppliedAsync(connection, cancellationToken);
            var newlyApplied = new List<string>();
            foreach (var script in scripts)
            {
                if (applied.TryGetValue(script.Name, out var checksum))
                {
                    if (checksum != script.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"sql/{script.Name} was changed after it was applied; add a new migration instead.");
                    }

                    continue;
                }

                await ApplyOneAsync(connection, script, cancellationToken);
                newlyApplied.Add(script.Name);
                logger.LogInformation("Applied migration {Migration}", script.Name);
            }

            return newlyApplied;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task ApplyOneAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var command = new NpgsqlCommand(script.Sql, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = new NpgsqlCommand(
                "INSERT INTO schema_migrations (name, checksum) VALUES (@name, @checksum)", connection, transaction))
            {
                record.Parameters.AddWithValue("name", script.Name);
                record.Parameters.AddWithValue("checksum", script.Checksum);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            throw new InvalidOperationException($"sql/{script.Name} failed and was rolled back: {e.MessageText}", e);
        }
    }

    private static async Task<Dictionary<string, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT name, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
