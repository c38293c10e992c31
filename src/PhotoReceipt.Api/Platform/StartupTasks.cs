using PhotoReceipt.Data.Blobs;
using PhotoReceipt.Data.Migrations;
using PhotoReceipt.Data.Products;

namespace PhotoReceipt.Api.Platform;

/// <summary>
/// Migrates the database, snapshots the catalog and clears temporary files that a killed upload
/// left behind before anything serves a request: StartingAsync of a lifecycle service runs before
/// any hosted service (the web server included) starts.
/// </summary>
public sealed class StartupTasks(Migrator migrator, ProductSync products, BlobJanitor blobs, IConfiguration configuration) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (configuration.GetValue("Database:MigrateOnStart", true))
            await migrator.MigrateAsync(cancellationToken);
        await products.SyncAsync(cancellationToken);
        await blobs.PurgeIncompleteAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
