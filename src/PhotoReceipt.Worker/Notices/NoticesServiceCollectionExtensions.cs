using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Core.Notices;

namespace PhotoReceipt.Worker.Notices;

public static class NoticesServiceCollectionExtensions
{
    /// <summary>The outbox dispatcher (recurring) and the notice sender.</summary>
    public static IServiceCollection AddNotices(this IServiceCollection services)
    {
        services.AddOptions<NoticeOptions>().BindConfiguration(NoticeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<NoticeOptionsValidation>();
        services.AddSingleton<IPostConfigureOptions<NoticeOptions>>(sp => sp.GetRequiredService<NoticeOptionsValidation>());
        services.AddSingleton<IValidateOptions<NoticeOptions>>(sp => sp.GetRequiredService<NoticeOptionsValidation>());
        services.AddSingleton<NoticeDispatchJob>();
        services.AddSingleton<IJobHandler>(sp => sp.GetRequiredService<NoticeDispatchJob>());
        services.AddSingleton<IJobHandler, SendNoticeJob>();
        // Configuration is not built yet here, so the period is read when the recurring job is resolved.
        services.AddSingleton(sp => new RecurringJob(JobKinds.DispatchNotices,
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<NoticeOptions>>().Value.DispatchEverySeconds)));
        return services;
    }
}
