using Dapper;
using Npgsql;

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

/// <summary>What paying for orders needs to read: unpaid orders to query, and a refund's number and amount.</summary>
public sealed class OrderPayments(NpgsqlDataSource db)
{
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

}
