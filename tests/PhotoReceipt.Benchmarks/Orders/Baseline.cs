using Npgsql;

namespace PhotoReceipt.Benchmarks.Orders;

/// <summary>The yardstick: the least an ASP.NET endpoint that touches PostgreSQL can do.</summary>
public sealed class Baseline : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly NpgsqlDataSource _db;
    public string Url { get; }

    private Baseline(WebApplication app, NpgsqlDataSource db, string url)
    {
        _app = app;
        _db = db;
        Url = url;
    }

    public static async Task<Baseline> StartAsync(string connectionString)
    {
        var port = OrdersBenchmark.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        // The same connection settings as the app, so the ratio measures the app's code, not a
        // difference in how the two talk to PostgreSQL.
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        PhotoReceipt.Data.ConnectionTuning.Apply(csb);
        var db = NpgsqlDataSource.Create(csb.ConnectionString);
        app.MapGet("/baseline", async () =>
        {
            await using var cmd = db.CreateCommand("SELECT 1");
            return Results.Ok(new { value = (int)(await cmd.ExecuteScalarAsync())! });
        });
        await app.StartAsync();
        return new Baseline(app, db, $"http://127.0.0.1:{port}/baseline");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _db.DisposeAsync();
    }
}
