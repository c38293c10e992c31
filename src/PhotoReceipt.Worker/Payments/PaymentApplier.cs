using Microsoft.Extensions.Logging;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Review;

namespace PhotoReceipt.Worker.Payments;

/// <summary>
/// The one place a WeChat Pay transaction (from a notice or an order query) changes an order:
/// paid orders are queued for the photo center in the same transaction; money for an order that
/// was cancelled meanwhile is refunded.
/// </summary>
public sealed class PaymentApplier(OrderPayments payments, JobQueue jobs, ILogger<PaymentApplier> logger)
{

    public async Task<PaymentOutcome?> ApplyAsync(PayTransaction transaction, CancellationToken ct)
    {
        if (transaction.TradeState != "SUCCESS" || transaction.TransactionId is null || transaction.TotalFen is null) return null;
        var (outcome, orderId) = await payments.ApplyPaymentAsync(transaction.OutTradeNo, transaction.TransactionId, transaction.TotalFen.Value,
            (conn, tx, id) => jobs.EnqueueSubmitAsync(conn, tx, id, ct),
            (conn, tx, id) => jobs.EnqueueRefundAsync(conn, tx, id, ct),
            ct);
        if (outcome is PaymentOutcome.AmountMismatch or PaymentOutcome.NotFound)
            logger.LogError("Payment {TransactionId} for {OrderNo} refused: {Outcome} (amount {Amount} fen)",
                transaction.TransactionId, transaction.OutTradeNo, outcome, transaction.TotalFen);
        else
            logger.LogInformation("Payment {TransactionId} for order {OrderId}: {Outcome}", transaction.TransactionId, orderId, outcome);
        return outcome;
    }
}
