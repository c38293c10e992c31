using Dapper;
using Npgsql;
using PhotoReceipt.Core.Orders;

namespace PhotoReceipt.Data.Orders;

public enum PaymentOutcome
{
    /// <summary>The order was awaiting payment and is now paid and queued.</summary>
    Applied,
    /// <summary>This payment was applied before (a repeated notice or query): nothing changed.</summary>
    AlreadyApplied,
    /// <summary>Money arrived for an order the user had cancelled: recorded, and a refund is due.</summary>
    PaidAfterCancel,
    /// <summary>The amount differs from the order's price: refused, nothing changed.</summary>
    AmountMismatch,
    NotFound,
}

/// <summary>
/// Applying WeChat Pay results to orders. The order row is locked, the change is made only when the
/// order is not yet paid, and the amount must match: a duplicated or forged notice changes nothing.
/// </summary>
public sealed class OrderPayments(NpgsqlDataSource db)
{
    public async Task<(PaymentOutcome Outcome, Guid? OrderId)> ApplyPaymentAsync(string orderNo, string transactionId, int amountFen,
        Func<NpgsqlConnection, NpgsqlTransaction, Guid, Task>? onQueued, Func<NpgsqlConnection, NpgsqlTransaction, Guid, Task>? onPaidAfterCancel,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var order = await conn.QuerySingleOrDefaultAsync<(Guid Id, string Status, int PriceFen, string? TransactionId)>(new CommandDefinition(
            "SELECT id, status, price_fen, transaction_id FROM orders WHERE order_no = @orderNo FOR UPDATE",
            new { orderNo }, tx, cancellationToken: ct));
        if (order.Id == Guid.Empty) return (PaymentOutcome.NotFound, null);
        if (order.TransactionId is not null) return (PaymentOutcome.AlreadyApplied, order.Id);
        if (amountFen != order.PriceFen) return (PaymentOutcome.AmountMismatch, order.Id);

        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE orders SET paid_at = now(), paid_fen = @amountFen, transaction_id = @transactionId, updated_at = now() WHERE id = @id",
            new { id = order.Id, amountFen, transactionId }, tx, cancellationToken: ct));
        PaymentOutcome outcome;
        if (await OrderStore.TryMoveAsync(conn, tx, order.Id, [OrderStatus.AwaitingPayment], OrderStatus.Queued, "wechat", "支付成功", ct) is not null)
        {
            if (onQueued is not null) await onQueued(conn, tx, order.Id);
            outcome = PaymentOutcome.Applied;
        }
        else
        {
            // Paid for an order that is no longer waiting (cancelled in the meantime): keep the money's
            // trace and give it back.
            await conn.ExecuteAsync(new CommandDefinition(
                "INSERT INTO order_events (order_id, from_status, to_status, actor, note) VALUES (@id, @status, @status, 'wechat', '订单已取消后收到付款，将原路退款')",
                new { id = order.Id, status = order.Status }, tx, cancellationToken: ct));
            if (onPaidAfterCancel is not null) await onPaidAfterCancel(conn, tx, order.Id);
            outcome = PaymentOutcome.PaidAfterCancel;
        }
        await tx.CommitAsync(ct);
        return (outcome, order.Id);
    }

    /// <summary>Orders still awaiting payment between the two ages: candidates for an order query.</summary>
    public async Task<IReadOnlyList<(Guid Id, string OrderNo)>> UnpaidAsync(TimeSpan olderThan, TimeSpan youngerThan, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(Guid, string)>(new CommandDefinition("""
            SELECT id, order_no FROM orders
            WHERE status = 'awaiting_payment' AND created_at < now() - @olderThan AND created_at > now() - @youngerThan
            ORDER BY created_at LIMIT @limit
            """, new { olderThan, youngerThan, limit }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// Claims the order's refund number (one per order, kept for every retry so WeChat never refunds
    /// twice). Returns the number and the amount paid, or null when nothing was paid.
    /// </summary>
    public async Task<(string RefundNo, string OrderNo, string TransactionId, int PaidFen)?> RefundDetailsAsync(Guid orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<(string, string, string, int)?>(new CommandDefinition("""
            UPDATE orders SET refund_no = COALESCE(refund_no, 'RF' || order_no),
                   refund_status = COALESCE(refund_status, 'requested'), updated_at = now()
            WHERE id = @orderId AND transaction_id IS NOT NULL
            RETURNING refund_no, order_no, transaction_id, paid_fen
            """, new { orderId }, cancellationToken: ct));
    }

    /// <summary>Records WeChat's refund state; SUCCESS moves the order to refunded (once).</summary>
    public async Task<bool> RecordRefundAsync(string refundNo, string wechatStatus, CancellationToken ct)
    {
        var status = wechatStatus.ToUpperInvariant() switch
        {
            "SUCCESS" => "succeeded",
            "CLOSED" => "closed",
            "ABNORMAL" => "abnormal",
            _ => "processing",
        };
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition("""
            UPDATE orders SET refund_status = @status, refunded_at = CASE WHEN @status = 'succeeded' THEN now() ELSE refunded_at END, updated_at = now()
            WHERE refund_no = @refundNo RETURNING id
            """, new { refundNo, status }, tx, cancellationToken: ct));
        if (id is null) return false;
        if (status == "succeeded")
            await OrderStore.TryMoveAsync(conn, tx, id.Value, [OrderStatus.Cancelled, OrderStatus.Rejected, OrderStatus.Failed],
                OrderStatus.Refunded, "wechat", "退款成功，款项原路退回", ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
