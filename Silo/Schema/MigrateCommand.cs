using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using Pipeline.ServiceDefaults;

namespace Pipeline.Silo.Schema;

/// <summary><c>Silo migrate [--sql DIR]</c>: brings the database named by PIPELINE_DB up to date, then exits.</summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var sqlDirectory = Path.Combine(AppContext.BaseDirectory, "sql");
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--sql" && i + 1 < args.Length)
            {
                sqlDirectory = args[++i];
            }
            else
            {
                await Console.Error.WriteLineAsync($"migrate: unknown argument '{args[i]}'. Usage: Silo migrate [--sql DIR]");
                return 2;
            }
        }

        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(PipelineSettings.Database(configuration));
            var migrator = new SchemaMigrator(dataSource, loggerFactory.CreateLogger<SchemaMigrator>());
            var applied = await migrator.ApplyAsync(sqlDirectory);
            Console.WriteLine(applied.Count == 0
                ? "migrate: the schema is up to date."
                : $"migrate: applied {applied.Count} file(s): {string.Join(", ", applied)}.");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or DirectoryNotFoundException
                                       or NpgsqlException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"migrate: {e.Message}");
            return 1;
        }
    }
}
