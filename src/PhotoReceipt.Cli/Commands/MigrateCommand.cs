using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using PhotoReceipt.Data.Migrations;

namespace PhotoReceipt.Cli.Commands;

/// <summary>`photoreceipt migrate`: applies pending migrations to ConnectionStrings:Postgres and lists what it did.</summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var connectionString = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine("photoreceipt migrate: set ConnectionStrings__Postgres (or --ConnectionStrings:Postgres=…)");
            return 1;
        }
        using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        await using var db = NpgsqlDataSource.Create(connectionString);
        try
        {
            var applied = await new Migrator(db, logging.CreateLogger<Migrator>()).MigrateAsync();
            Console.WriteLine(applied.Count == 0 ? "database is up to date" : $"applied {applied.Count} migration(s): {string.Join(", ", applied)}");
            return 0;
        }
        catch (NpgsqlException ex)
        {
            Console.Error.WriteLine($"photoreceipt migrate: {ex.Message}");
            return 1;
        }
    }
}
