using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Worker.Orders;
using PhotoReceipt.Worker.PhotoCenter;
using PhotoReceipt.Worker.Photos;

namespace PhotoReceipt.Worker;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>The job handlers and, when Worker:Enabled, the loops that run them in this process.</summary>
    public static IServiceCollection AddPhotoReceiptWorker(this IServiceCollection services)
    {
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IJobHandler, ProcessPhotoJob>();
        services.AddPhotoCenter();
        services.AddSingleton<DecisionApplier>();
        services.AddSingleton<IJobHandler, SubmitOrderJob>();
        services.AddSingleton<IJobHandler, DecideOrderJob>();
        services.AddSingleton<JobRunner>();
        services.AddHostedService<JobWorker>();
        return services;
    }
}
