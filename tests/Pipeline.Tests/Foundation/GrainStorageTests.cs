using System.Text.Json;
using System.Text.RegularExpressions;
using Orleans.Storage;
using Pipeline.TestSilo;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Foundation;

/// <summary>Grain state in PostgreSQL through the ADO.NET provider and our sql/, seen from real silo processes.</summary>
public sealed class GrainStorageTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task State_written_by_one_silo_process_is_read_back_by_a_new_one_after_the_first_stopped()
    {
        await using (var first = await SiloProcess.StartAsync(_database))
        {
            await using var client = await TestClusterClient.ConnectAsync(_database);
            await client.Client.GetGrain<IProbeGrain>("persisted").Write("first");
            await client.Client.GetGrain<IProbeGrain>("persisted").Write("second");
            await first.StopAsync();
        }

        await using var second = await SiloProcess.StartAsync(_database);
        await using var secondClient = await TestClusterClient.ConnectAsync(_database);

        var state = await secondClient.Client.GetGrain<IProbeGrain>("persisted").GetState();
        Assert.Equal("second", state.Value);
        Assert.Equal(2, state.Writes);
        Assert.StartsWith(second.AddressPrefix, await secondClient.Client.GetGrain<IProbeGrain>("persisted").GetSilo());
    }

    [Fact]
    public async Task A_stale_write_is_rejected_with_an_inconsistent_state_error()
    {
        await using var silo = await SiloProcess.StartAsync(_database);
        await using var client = await TestClusterClient.ConnectAsync(_database);
        var grain = client.Client.GetGrain<IProbeGrain>("contended");
        await grain.Write("mine");

        // Someone else (another activation, a restored backup) wrote the row since this activation read it.
        Assert.Equal(1, await _database.ExecuteAsync(
            "UPDATE orleansstorage SET version = version + 1 WHERE grainidextensionstring = 'contended'"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Write("stale"));
        Assert.Equal(2, await _database.ScalarAsync<int>(
            "SELECT version FROM orleansstorage WHERE grainidextensionstring = 'contended'"));
    }

    [Fact]
    public async Task The_storage_row_is_json_versioned_and_found_by_its_string_key()
    {
        await using var silo = await SiloProcess.StartAsync(_database);
        await using var client = await TestClusterClient.ConnectAsync(_database);
        var grain = client.Client.GetGrain<IProbeGrain>("visible");

        await grain.Write("one");
        await grain.Write("two");
        await grain.Write("three");

        Assert.Equal(3, await _database.ScalarAsync<int>(
            "SELECT version FROM orleansstorage WHERE grainidextensionstring = 'visible' AND graintypestring = 'probe'"));
        Assert.Contains("\"three\"", await _database.ScalarAsync<string>(
            "SELECT convert_from(payloadbinary, 'UTF8') FROM orleansstorage WHERE grainidextensionstring = 'visible'"));
    }

    [Theory]
    [InlineData("ReadFromStorageKey")]
    [InlineData("WriteToStorageKey")]
    public async Task A_grain_is_found_in_a_few_pages_however_many_grains_of_its_type_are_stored(string queryKey)
    {
        // Statistics taken when the table held only grains of other types (a fresh install: channels are stored
        // at start, tasks come later): the planner must still not read through every task to find one.
        await _database.ExecuteAsync("""
            INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
                                        grainidextensionstring, serviceid, payloadbinary, version)
            SELECT hashtext('channel-' || i), 0, 0, 3, 'channel', 'channel-' || i, 'pipeline', '\x7b7d', 1 FROM generate_series(1, 20) AS i
            """);
        await _database.ExecuteAsync("ANALYZE orleansstorage");
        await _database.ExecuteAsync("""
            INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
                                        grainidextensionstring, serviceid, payloadbinary, version)
            SELECT hashtext('hay-' || i), 0, 0, 7, 'task', 'hay-' || i, 'pipeline', convert_to(repeat('x', 700), 'UTF8'), 1
              FROM generate_series(1, 20000) AS i
            UNION ALL
            SELECT hashtext('needle'), 0, 0, 7, 'task', 'needle', 'pipeline', '\x7b7d', 1
            """);

        var query = await _database.ScalarAsync<string>($"SELECT querytext FROM orleansquery WHERE querykey = '{queryKey}'");
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // A first lookup (of a grain that is not there) settles whatever is set up once per connection.
        await using (var first = new Npgsql.NpgsqlCommand(Bind(query!, "absent", version: 1), connection, transaction))
        {
            await first.ExecuteNonQueryAsync();
        }

        await using var explain = new Npgsql.NpgsqlCommand($"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {Bind(query!, "needle", version: 1)}", connection, transaction);
        using var plan = JsonDocument.Parse((string)(await explain.ExecuteScalarAsync())!);
        var root = plan.RootElement[0].GetProperty("Plan");

        Assert.Equal(1, root.GetProperty("Actual Rows").GetInt32());
        var pages = root.GetProperty("Shared Hit Blocks").GetInt64() + root.GetProperty("Shared Read Blocks").GetInt64();
        Assert.True(pages < 30, $"{queryKey} read {pages} buffer pages to find one grain among 20,021:\n{plan.RootElement}");
        await transaction.RollbackAsync();
    }

    [Fact]
    public async Task The_write_query_inserts_a_grain_once_then_updates_only_from_the_version_it_was_read_at()
    {
        var query = (await _database.ScalarAsync<string>("SELECT querytext FROM orleansquery WHERE querykey = 'WriteToStorageKey'"))!;
        async Task<List<int?>> Write(int? version)
        {
            await using var command = _database.DataSource.CreateCommand(Bind(query, "grain", version));
            await using var reader = await command.ExecuteReaderAsync();
            var versions = new List<int?>();
            while (await reader.ReadAsync())
            {
                var column = reader.GetOrdinal("NewGrainStateVersion");
                versions.Add(reader.IsDBNull(column) ? null : reader.GetInt32(column));
            }

            return versions;
        }

        Assert.Equal([1], await Write(null));
        Assert.Empty(await Write(null)); // a second first write (another activation's) finds the row: a conflict
        Assert.Equal([2], await Write(1));
        Assert.Empty(await Write(1)); // written from a stale read
        Assert.Equal([3], await Write(2));
        Assert.Equal(3, await _database.ScalarAsync<int>("SELECT version FROM orleansstorage WHERE grainidextensionstring = 'grain'"));
        Assert.Equal(1, await _database.ScalarAsync<long>("SELECT count(*) FROM orleansstorage"));
    }

    /// <summary>A storage query of sql/ with the provider's parameters written in, for a string-keyed grain of type "task".</summary>
    private static string Bind(string query, string grain, int? version) => Regex.Replace(query, @"@(\w+)", m => m.Groups[1].Value switch
    {
        "GrainIdHash" => $"hashtext('{grain}')",
        "GrainIdExtensionString" => $"'{grain}'",
        "GrainTypeHash" => "7",
        "ServiceId" => "'pipeline'",
        "GrainTypeString" => "'task'",
        "GrainIdN0" or "GrainIdN1" => "0",
        "GrainStateVersion" => version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "NULL",
        "PayloadBinary" => "'\\x7b7d'::bytea",
        var name => throw new InvalidOperationException($"Unexpected parameter @{name}"),
    });
}
