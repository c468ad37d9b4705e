using Microsoft.Extensions.Configuration;
using Npgsql;
using Pipeline.ApiGateway.Problems;
using Pipeline.ApiGateway.Tasks;
using Pipeline.ServiceDefaults;
using Pipeline.Tests.Infrastructure;

namespace Pipeline.Tests.Gateway;

/// <summary>
/// A listing's count is prepared once per connection (Npgsql's automatic preparation), and PostgreSQL settles a
/// prepared statement on one generic plan after five runs. For the count by status that plan is the common
/// status's (a scan of every task), which a rare status must not inherit.
/// </summary>
public sealed class ListingPlanTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.ExecuteAsync("""
            INSERT INTO tasks (task_id, channel_id, title, status, seq, created_at, updated_at)
            SELECT 'task-' || i, 'alpha', 'Video ' || i, CASE WHEN i % 1000 = 0 THEN 'upload_error' ELSE 'published' END,
                   21, now(), now() - i * interval '1 second'
            FROM generate_series(1, 5000) AS i;
            ANALYZE tasks;
            """);
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Theory]
    [InlineData("upload_error")]
    [InlineData("video_error")]
    public async Task The_gateway_counts_a_rare_status_off_the_index_after_counting_the_common_one(string rare)
    {
        var plan = await PlanAfterCountingPublishedAsync(planEachExecution: true, rare);

        Assert.DoesNotContain("Seq Scan", plan);
        Assert.Contains("tasks_by_status", plan);
    }

    [Fact]
    public async Task Without_planning_each_execution_the_rare_status_would_scan_every_task()
    {
        var plan = await PlanAfterCountingPublishedAsync(planEachExecution: false, "video_error");

        Assert.Contains("Seq Scan", plan);
    }

    private async Task<string> PlanAfterCountingPublishedAsync(bool planEachExecution, string rare)
    {
        var errors = new ValidationErrors();
        var (where, _) = TaskQueries.Filter(TaskListQuery.Parse([rare], null, null, null, errors)!);
        Assert.True(errors.IsEmpty);

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("PIPELINE_DB", (string?)_database.ConnectionString)])
            .Build();
        await using var dataSource = PipelineSettings.CreateDataSource(configuration, defaultMaxPoolSize: 2, planEachExecution);
        await using var connection = await dataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, $"PREPARE count_by_status(text) AS SELECT count(*) FROM tasks{where}");
        for (var i = 0; i < 6; i++)
        {
            await ExecuteAsync(connection, "EXECUTE count_by_status('published')");
        }

        await using var explain = new NpgsqlCommand($"EXPLAIN EXECUTE count_by_status('{rare}')", connection);
        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
