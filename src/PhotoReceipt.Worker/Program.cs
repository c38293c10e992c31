using PhotoReceipt.Data;
using PhotoReceipt.Data.Migrations;
using PhotoReceipt.ServiceDefaults;

namespace PhotoReceipt.Worker;

/// <summary>
/// The worker host: always a process of its own beside the API (N replicas claim jobs with SKIP LOCKED;
/// `./build.sh run` starts one). Only this process loads the imaging code.
/// </summary>
internal static class WorkerProgram
{
    private static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddServiceDefaults("photoreceipt-worker");
        builder.Services.AddPhotoReceiptData();
        builder.Services.AddPhotoReceiptWorker();
        WorkerSeams.Add(builder.Services, builder.Configuration);
        var host = builder.Build();
        // Replicas start together safely: the migrator serializes on an advisory lock.
        await host.Services.GetRequiredService<Migrator>().MigrateAsync();
        await host.RunAsync();
    }
}
