using Microsoft.Extensions.Logging;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Core.Jobs;

namespace PhotoReceipt.Worker.Payments;

/// <summary>
/// Refunds what was paid for an order. The refund number is fixed per order (RF + order number),
/// so a retry after a timeout asks WeChat for the same refund again instead of a second one.
/// </summary>
public sealed class RefundOrderJob(OrderPayments payments, OrderLifecycle lifecycle, IWeChatPay pay, ILogger<RefundOrderJob> logger) : IJobHandler
{
    public string Kind => JobKinds.RefundOrder.Name;

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var orderId = job.PayloadAs(JobKinds.RefundOrder).OrderId;
        var details = await payments.RefundDetailsAsync(orderId, cancellationToken);
        if (details is not { } d)
        {
            logger.LogWarning("Refund for order {OrderId} skipped: nothing was paid", orderId);
            return;
        }
        var result = await pay.RefundAsync(new RefundRequest(d.OrderNo, d.RefundNo, d.PaidFen, d.PaidFen, "订单取消，原路退款"), cancellationToken);
        if (!result.Ok)
            throw new InvalidOperationException($"refund {d.RefundNo} refused: {result.ErrCode} {result.ErrMsg} (rid {result.Rid})");
        await lifecycle.RecordRefundAsync(d.RefundNo, result.Value!.Status, cancellationToken);
    }
}
