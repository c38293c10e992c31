using Microsoft.Extensions.Logging;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Receipts;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Core.Jobs;

namespace PhotoReceipt.Worker.Receipts;

/// <summary>
/// Tells WeChat a paid order was delivered (virtual goods, upload_shipping_info); without it the
/// payment stays frozen. Reported once: the order's delivery_reported_at is set on success and a
/// later run finds it. Any error throws, so the job retries with backoff (busy, quota, transport);
/// one that keeps failing ends dead on the order's support page, where support can requeue it.
/// </summary>
public sealed class ReportDeliveryJob(ReceiptStore receipts, IWeChatApi wechat, ProductCatalog catalog, TimeProvider clock,
    ILogger<ReportDeliveryJob> logger) : IJobHandler
{
    public string Kind => JobKinds.ReportDelivery.Name;

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var orderId = job.PayloadAs(JobKinds.ReportDelivery).OrderId;
        var target = await receipts.DeliveryTargetAsync(orderId, cancellationToken)
            ?? throw new InvalidOperationException($"Order {orderId} does not exist.");
        if (target.DeliveryReportedAt is not null || target.TransactionId is null) return;

        var item = catalog.FindProduct(target.ProductId)?.Name ?? "证件照片回执";
        var result = await wechat.UploadShippingInfoAsync(
            new ShippingInfo(target.PayerOpenId, item, clock.GetUtcNow(), TransactionId: target.TransactionId), cancellationToken);
        if (!result.Ok)
            throw new InvalidOperationException($"upload_shipping_info for order {target.OrderNo} failed: errcode {result.ErrCode} {result.ErrMsg} (rid {result.Rid})");
        await receipts.MarkDeliveryReportedAsync(orderId, cancellationToken);
        logger.LogInformation("Delivery of order {OrderNo} reported to WeChat", target.OrderNo);
    }
}
