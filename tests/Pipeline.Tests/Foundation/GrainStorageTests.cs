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
        await using (var bump = _database.DataSource.CreateCommand(
            "UPDATE orleansstorage SET version = version + 1 WHERE grainidextensionstring = 'contended'"))
        {
            Assert.Equal(1, await bump.ExecuteNonQueryAsync());
        }

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
}
