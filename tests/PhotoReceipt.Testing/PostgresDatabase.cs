using Xunit;
using Dapper;
using Npgsql;

namespace PhotoReceipt.Testing;

/// <summary>
/// A database of its own for one test class, cloned from the migrated template, dropped afterwards.
/// Use as an xunit class fixture so test classes run in parallel without sharing rows.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public string Name { get; } = "t_" + Guid.NewGuid().ToString("N")[..16];
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var template = await TestPostgres.TemplateAsync();
        await using var admin = new NpgsqlConnection(TestPostgres.ServerConnectionString);
        await admin.OpenAsync();
        // Two CREATE DATABASE … TEMPLATE at the same moment can see each other as "other users of
        // the template" (55006); a short retry settles it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await admin.ExecuteAsync($"CREATE DATABASE \"{Name}\" TEMPLATE \"{template}\"");
                break;
            }
            catch (PostgresException ex) when (ex.SqlState == "55006" && attempt < 20)
            {
                await Task.Delay(100 * attempt);
            }
        }
        ConnectionString = TestPostgres.ConnectionStringFor(Name);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestPostgres.ServerConnectionString);
        await admin.OpenAsync();
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }
}
