using Npgsql;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Benchmarks.Orders;

/// <summary>
/// The yardsticks: the least an ASP.NET endpoint that touches PostgreSQL can do. /baseline is the
/// issue's "minimal endpoint with one trivial Npgsql query" as written (Npgsql's defaults);
/// /baseline-tuned is the same endpoint with the app's own connection tuning, the stricter floor.
/// </summary>
public sealed class Baseline : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly NpgsqlDataSource _db;
    private readonly NpgsqlDataSource _tunedDb;
    public string Url { get; }
    public string TunedUrl { get; }

    private Baseline(WebApplication app, NpgsqlDataSource db, NpgsqlDataSource tunedDb, string url)
    {
        _app = app;
        _db = db;
        _tunedDb = tunedDb;
        Url = url + "/baseline";
        TunedUrl = url + "/baseline-tuned";
    }

    public static async Task<Baseline> StartAsync(string connectionString)
    {
        var port = LoopbackPort.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var db = NpgsqlDataSource.Create(connectionString);
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        PhotoReceipt.Data.ConnectionTuning.Apply(csb);
        var tunedDb = NpgsqlDataSource.Create(csb.ConnectionString);
        app.MapGet("/baseline", async () =>
        {
            await using var cmd = db.CreateCommand("SELECT 1");
            return Results.Ok(new { value = (int)(await cmd.ExecuteScalarAsync())! });
        });
        app.MapGet("/baseline-tuned", async () =>
        {
            await using var cmd = tunedDb.CreateCommand("SELECT 1");
            return Results.Ok(new { value = (int)(await cmd.ExecuteScalarAsync())! });
        });
        await app.StartAsync();
        return new Baseline(app, db, tunedDb, $"http://127.0.0.1:{port}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _db.DisposeAsync();
        await _tunedDb.DisposeAsync();
    }
}
