using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Notices;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Core.Notices;

namespace PhotoReceipt.Worker.Notices;

/// <summary>
/// The outbox dispatcher (a recurring job): new notice rows become one pending notice and one send job each.
/// The send is a job of its own so that each notice retries and backs off on its own schedule.
/// </summary>
public sealed class NoticeDispatchJob(NoticeStore notices, IOptions<NoticeOptions> options, ILogger<NoticeDispatchJob> logger)
    : IJobHandler
{
    public string Kind => JobKinds.DispatchNotices.Name;

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken) => await DispatchAsync(cancellationToken);

    /// <summary>Dispatches every waiting notice; returns how many.</summary>
    public async Task<int> DispatchAsync(CancellationToken ct)
    {
        var o = options.Value;
        var templates = o.TemplateIds();
        var total = 0;
        int n;
        do
        {
            n = await notices.DispatchAsync(templates, o.DispatchBatch, ct);
            total += n;
        } while (n == o.DispatchBatch);
        if (total > 0) logger.LogInformation("Dispatched {Count} notices", total);
        return total;
    }
}
