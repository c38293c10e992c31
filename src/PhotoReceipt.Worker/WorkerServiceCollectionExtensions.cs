using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Worker.Maintenance;
using PhotoReceipt.Worker.Photos;

namespace PhotoReceipt.Worker;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>The job handlers and, when Worker:Enabled, the loops that run them in this process.</summary>
    public static IServiceCollection AddPhotoReceiptWorker(this IServiceCollection services)
    {
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IJobHandler, ProcessPhotoJob>();
        services.AddSingleton<IJobHandler, CleanupJob>();
        services.AddSingleton(new RecurringJob(CleanupJob.JobKind, TimeSpan.FromHours(1)));
        services.AddSingleton<JobRunner>();
        services.AddHostedService<JobWorker>();
        services.AddSingleton<RecurringJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<RecurringJobs>());
        return services;
    }
}
