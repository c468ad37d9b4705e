using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Foundation;

public sealed class MigrationTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.CreateEmptyAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Running_twice_applies_every_file_once_and_leaves_the_schema_unchanged()
    {
        var first = await _database.MigrateAsync(Repo.SqlDirectory);
        var schemaAfterFirst = await SchemaSnapshotAsync();

        var second = await _database.MigrateAsync(Repo.SqlDirectory);

        var files = Directory.GetFiles(Repo.SqlDirectory, "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(files, first);
        Assert.Empty(second);
        Assert.Equal(schemaAfterFirst, await SchemaSnapshotAsync());
        Assert.Equal(first.Count, await _database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task The_orleans_query_table_holds_every_key_the_providers_require()
    {
        await _database.MigrateAsync(Repo.SqlDirectory);
        string[] required =
        [
            // clustering (9 required + the optional per-row cleanup)
            "UpdateIAmAlivetimeKey", "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey",
            "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
            "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
            // persistence
            "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
            // reminders
            "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key",
            "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ];

        var keys = await QueryStringsAsync("SELECT querykey FROM orleansquery ORDER BY querykey");

        Assert.Equal(required.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_failing_file_is_rolled_back_and_not_recorded_and_the_ones_before_it_stay()
    {
        var dir = CopyOfSql();
        await File.WriteAllTextAsync(Path.Combine(dir, "900_broken.sql"),
            "CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _database.MigrateAsync(dir));

        Assert.Contains("900_broken.sql", error.Message);
        Assert.Contains("no_such_table", error.Message);
        Assert.Null(await _database.ScalarAsync<string>("SELECT to_regclass('half_done')::text"));
        Assert.Equal(0, await _database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE name = '900_broken.sql'"));
        Assert.Equal(Directory.GetFiles(Repo.SqlDirectory, "*.sql").Length,
            await _database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task A_file_edited_after_it_was_applied_is_refused()
    {
        var dir = CopyOfSql();
        await File.WriteAllTextAsync(Path.Combine(dir, "900_extra.sql"), "CREATE TABLE extra (id int);");
        await _database.MigrateAsync(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "900_extra.sql"), "CREATE TABLE extra (id bigint);");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _database.MigrateAsync(dir));

        Assert.Contains("900_extra.sql was changed after it was applied", error.Message);
    }

    [Fact]
    public async Task A_badly_named_file_is_refused_before_anything_runs()
    {
        var dir = CopyOfSql();
        await File.WriteAllTextAsync(Path.Combine(dir, "extra.sql"), "CREATE TABLE extra (id int);");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _database.MigrateAsync(dir));

        Assert.Contains("extra.sql", error.Message);
        Assert.Null(await _database.ScalarAsync<string>("SELECT to_regclass('schema_migrations')::text"));
    }

    private static string CopyOfSql()
    {
        var dir = Directory.CreateTempSubdirectory("pipeline-sql-").FullName;
        foreach (var file in Directory.GetFiles(Repo.SqlDirectory, "*.sql"))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }

        return dir;
    }

    /// <summary>Tables, columns, indexes, functions and stored queries: what a second run must not touch.</summary>
    private async Task<string> SchemaSnapshotAsync()
    {
        var parts = new List<string>();
        parts.AddRange(await QueryStringsAsync("""
            SELECT table_name || '.' || column_name || ':' || data_type || ':' || is_nullable
              FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1
            """));
        parts.AddRange(await QueryStringsAsync("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"));
        parts.AddRange(await QueryStringsAsync("""
            SELECT p.proname || ':' || md5(p.prosrc) FROM pg_proc p
              JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1
            """));
        parts.AddRange(await QueryStringsAsync("SELECT querykey || ':' || md5(querytext) FROM orleansquery ORDER BY 1"));
        parts.AddRange(await QueryStringsAsync("SELECT name || ':' || checksum || ':' || applied_at FROM schema_migrations ORDER BY 1"));
        return string.Join('\n', parts);
    }

    private async Task<List<string>> QueryStringsAsync(string sql)
    {
        var rows = new List<string>();
        await using var command = _database.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
