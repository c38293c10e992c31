using Microsoft.Extensions.DependencyInjection;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Receipts;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Core.Jobs;

namespace PhotoReceipt.Worker.Receipts;

public static class ReceiptServiceCollectionExtensions
{
    /// <summary>Receipt issue, delivery reporting and the hourly validity job, with their options checked at start.</summary>
    public static IServiceCollection AddReceipts(this IServiceCollection services)
    {
        services.AddOptions<ReceiptOptions>().BindConfiguration(ReceiptOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // Checked against the catalog when the job runner starts: a layout that lost a style stops the worker, not a user's receipt.
        services.AddSingleton(sp => ReceiptLayouts.LoadEmbedded(sp.GetRequiredService<ProductCatalog>()));
        services.AddSingleton<IJobHandler, IssueReceiptJob>();
        services.AddSingleton<IJobHandler, ReportDeliveryJob>();
        services.AddSingleton<IJobHandler, ReceiptValidityJob>();
        services.AddSingleton(new RecurringJob(JobKinds.ReceiptValidity, TimeSpan.FromHours(1)));
        return services;
    }
}
