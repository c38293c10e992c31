using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Worker.CustomerService;
using PhotoReceipt.Worker.Maintenance;
using PhotoReceipt.Worker.Notices;
using PhotoReceipt.Worker.Payments;
using PhotoReceipt.Worker.Orders;
using PhotoReceipt.Worker.PhotoCenter;
using PhotoReceipt.Worker.Photos;
using PhotoReceipt.Worker.Receipts;
using PhotoReceipt.Core.Jobs;

namespace PhotoReceipt.Worker;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>The job handlers and, when Worker:Enabled, the loops that run them in this process.</summary>
    public static IServiceCollection AddPhotoReceiptWorker(this IServiceCollection services)
    {
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IJobHandler, ProcessPhotoJob>();
        services.AddSingleton<IJobHandler, ContentCheckJob>();
        services.AddSingleton<IJobHandler, PrintSheets.PrintSheetJob>();
        services.AddSingleton<IJobHandler, CleanupJob>();
        services.AddSingleton<IJobHandler, CustomerServiceReplyJob>();
        services.AddSingleton<IJobHandler, RefundOrderJob>();
        services.AddSingleton<IJobHandler, ReconcilePaymentsJob>();
        services.AddSingleton(new RecurringJob(JobKinds.ReconcilePayments, TimeSpan.FromMinutes(5)));
        services.AddSingleton(new RecurringJob(JobKinds.Cleanup, TimeSpan.FromHours(1)));
        services.AddPhotoCenter();
        services.AddSingleton<IJobHandler, SubmitOrderJob>();
        services.AddSingleton<IJobHandler, DecideOrderJob>();
        services.AddReceipts();
        services.AddNotices();
        services.AddSingleton<JobRunner>();
        services.AddHostedService<JobWorker>();
        services.AddSingleton<JobQueueGauges>();
        services.AddHostedService(sp => sp.GetRequiredService<JobQueueGauges>());
        services.AddSingleton<RecurringJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<RecurringJobs>());
        return services;
    }
}
