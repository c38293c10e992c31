using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PhotoReceipt.Data.Migrations;

/// <summary>
/// Applies the numbered .sql files embedded in this assembly, each once and each in its own
/// transaction, journaled in schema_migrations. A session advisory lock makes replicas that start
/// together wait for one another instead of racing.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    // Any constant works; it only has to be the same for every process of this app.
    private const long LockId = 0x5068_6f74_6f52_6331;

    public static IReadOnlyList<(string Name, string Sql)> Scripts { get; } = LoadScripts();

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@LockId)", new { LockId }, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    name       text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken: cancellationToken));
            var applied = (await connection.QueryAsync<string>("SELECT name FROM schema_migrations")).ToHashSet();
            var done = new List<string>();
            foreach (var (name, sql) in Scripts)
            {
                if (applied.Contains(name)) continue;
                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition("INSERT INTO schema_migrations (name) VALUES (@name)", new { name }, tx, cancellationToken: cancellationToken));
                await tx.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Migration}", name);
                done.Add(name);
            }
            return done;
        }
        finally
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@LockId)", new { LockId });
        }
    }

    /// <summary>The embedded migrations not yet journaled in the database (empty when up to date).</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var exists = await connection.ExecuteScalarAsync<bool>("SELECT to_regclass('schema_migrations') IS NOT NULL");
        var applied = exists
            ? (await connection.QueryAsync<string>("SELECT name FROM schema_migrations")).ToHashSet()
            : [];
        return Scripts.Select(s => s.Name).Where(n => !applied.Contains(n)).ToList();
    }

    private static List<(string, string)> LoadScripts()
    {
        var assembly = typeof(Migrator).Assembly;
        const string prefix = "PhotoReceipt.Data.Migrations.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => (n[prefix.Length..], Read(assembly, n)))
            .ToList();
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
