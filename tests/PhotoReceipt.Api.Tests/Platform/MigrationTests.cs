using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PhotoReceipt.Data.Migrations;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Platform;

public sealed class MigrationTests
{
    [Fact]
    public async Task Replicas_starting_together_apply_each_migration_exactly_once()
    {
        var name = "m_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(TestPostgres.ServerConnectionString))
        {
            await admin.OpenAsync();
            await admin.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        }
        try
        {
            await using var ds = NpgsqlDataSource.Create(TestPostgres.ConnectionStringFor(name));
            var runs = await Task.WhenAll(Enumerable.Range(0, 4)
                .Select(_ => Task.Run(() => new Migrator(ds, NullLogger<Migrator>.Instance).MigrateAsync())));

            // One replica applied everything; the others waited on the lock and found nothing to do.
            Assert.Single(runs, r => r.Count == Migrator.Scripts.Count);
            Assert.Equal(3, runs.Count(r => r.Count == 0));
            await using var conn = await ds.OpenConnectionAsync();
            var journal = (await conn.QueryAsync<string>("SELECT name FROM schema_migrations ORDER BY name")).ToList();
            Assert.Equal(Migrator.Scripts.Select(s => s.Name), journal);
            Assert.Empty(await new Migrator(ds, NullLogger<Migrator>.Instance).PendingAsync());
            foreach (var table in new[] { "users", "sessions", "products", "photos", "orders", "order_events", "jobs", "outbox", "subscription_grants" })
                Assert.True(await conn.ExecuteScalarAsync<bool>("SELECT to_regclass(@table) IS NOT NULL", new { table }), table);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(TestPostgres.ServerConnectionString);
            await admin.OpenAsync();
            await admin.ExecuteAsync($"DROP DATABASE \"{name}\" WITH (FORCE)");
        }
    }

    [Fact]
    public void Migration_files_are_numbered_and_in_order()
    {
        Assert.NotEmpty(Migrator.Scripts);
        foreach (var (name, _) in Migrator.Scripts)
            Assert.Matches(@"^\d{4}_[a-z0-9_]+\.sql$", name);
        Assert.Equal(Migrator.Scripts.Select(s => s.Name).Distinct().Count(), Migrator.Scripts.Count);
    }
}
