using Microsoft.Extensions.Logging;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Core.Jobs;

namespace PhotoReceipt.Worker.Payments;

/// <summary>
/// Asks WeChat Pay about orders still awaiting payment after a few minutes: a notice can be lost,
/// and the user must not stay "unpaid" for money they paid.
/// </summary>
public sealed class ReconcilePaymentsJob(OrderPayments payments, IWeChatPay pay, OrderLifecycle lifecycle, ILogger<ReconcilePaymentsJob> logger) : IJobHandler
{
    public string Kind => JobKinds.ReconcilePayments.Name;

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var unpaid = await payments.UnpaidAsync(TimeSpan.FromMinutes(5), TimeSpan.FromDays(1), 100, cancellationToken);
        var applied = 0;
        foreach (var (_, orderNo) in unpaid)
        {
            var result = await pay.QueryOrderAsync(orderNo, cancellationToken);
            if (result.Ok && await lifecycle.PayAsync(result.Value!, cancellationToken) == PaymentOutcome.Applied) applied++;
        }
        if (unpaid.Count > 0) logger.LogInformation("Reconciled {Count} unpaid orders; {Applied} had been paid", unpaid.Count, applied);
    }
}
