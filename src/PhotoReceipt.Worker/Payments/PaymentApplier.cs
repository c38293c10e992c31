using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.Telemetry;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Review;
using PhotoReceipt.WeChat;

namespace PhotoReceipt.Worker.Payments;

/// <summary>
/// The one place a WeChat Pay transaction (from a notice or an order query) changes an order:
/// paid orders are queued for the photo center in the same transaction; money for an order that
/// was cancelled meanwhile is refunded.
/// </summary>
public sealed class PaymentApplier(OrderPayments payments, JobQueue jobs, IOptions<WeChatPayOptions> payOptions,
    IOptions<WeChatOptions> wechatOptions, TimeProvider clock, ILogger<PaymentApplier> logger)
{
    /// <summary>True where payments are simulated (the sandbox pay endpoint and the console's "mark paid").</summary>
    public bool SimulatedPayments => payOptions.Value.SimulatedWith(wechatOptions.Value);

    /// <summary>
    /// Applies the transaction a WeChat Pay notice would carry for a sandbox payment, so the order
    /// takes exactly the paid path (queued with its submission job). Refused where real money moves.
    /// </summary>
    public Task<PaymentOutcome?> ApplySimulatedAsync(string orderNo, int amountFen, string? openId, CancellationToken ct)
    {
        if (!SimulatedPayments) throw new InvalidOperationException("Payments can be simulated only where no merchant or mini-program is configured.");
        return ApplyAsync(new PayTransaction(wechatOptions.Value.AppId ?? "", "sandbox", orderNo, "sandbox_" + orderNo, "SUCCESS", "支付成功",
            amountFen, amountFen, "CNY", openId, clock.GetUtcNow(), null), ct);
    }

    public async Task<PaymentOutcome?> ApplyAsync(PayTransaction transaction, CancellationToken ct)
    {
        if (transaction.TradeState != "SUCCESS" || transaction.TransactionId is null || transaction.TotalFen is null) return null;
        var (outcome, orderId) = await payments.ApplyPaymentAsync(transaction.OutTradeNo, transaction.TransactionId, transaction.TotalFen.Value,
            (conn, tx, id) => jobs.EnqueueSubmitAsync(conn, tx, id, ct),
            (conn, tx, id) => jobs.EnqueueRefundAsync(conn, tx, id, ct),
            ct);
        PhotoReceiptTelemetry.Payments.Add(1, new KeyValuePair<string, object?>("payment.outcome", PhotoReceiptTelemetry.Tag(outcome)));
        if (outcome is PaymentOutcome.AmountMismatch or PaymentOutcome.NotFound)
            logger.LogError("Payment {TransactionId} for {OrderNo} refused: {Outcome} (amount {Amount} fen)",
                transaction.TransactionId, transaction.OutTradeNo, outcome, transaction.TotalFen);
        else
            logger.LogInformation("Payment {TransactionId} for order {OrderId}: {Outcome}", transaction.TransactionId, orderId, outcome);
        return outcome;
    }
}
