using System.CommandLine;
using Microsoft.Extensions.Logging;
using Npgsql;
using PhotoReceipt.Data.Migrations;

namespace PhotoReceipt.Cli.Commands;

/// <summary>`photoreceipt migrate`: applies pending migrations to ConnectionStrings:Postgres and lists what it did.</summary>
public static class MigrateCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("migrate", "Apply pending database migrations to ConnectionStrings__Postgres (advisory-locked; an up-to-date database is left alone).");
        command.SetAction((_, ct) => RunAsync(context, ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, CancellationToken ct)
    {
        if (context.ConnectionString is not { } connectionString)
        {
            await context.Error.WriteLineAsync("photoreceipt migrate: set ConnectionStrings__Postgres");
            return ExitCodes.Failed;
        }
        using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        await using var db = NpgsqlDataSource.Create(connectionString);
        try
        {
            var applied = await new Migrator(db, logging.CreateLogger<Migrator>()).MigrateAsync(ct);
            await context.Out.WriteLineAsync(applied.Count == 0 ? "database is up to date" : $"applied {applied.Count} migration(s): {string.Join(", ", applied)}");
            return ExitCodes.Ok;
        }
        catch (NpgsqlException ex)
        {
            await context.Error.WriteLineAsync($"photoreceipt migrate: {ex.Message}");
            return ExitCodes.Failed;
        }
    }
}
