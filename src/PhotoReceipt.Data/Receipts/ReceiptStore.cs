using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.Receipts;

/// <summary>A receipt as stored; <see cref="ValidUntil"/> is the last valid day as printed on it.</summary>
public sealed record ReceiptRow(
    Guid OrderId, string? Style, string ImageNumber, DateTime IssuedAt, DateOnly ValidUntil,
    string? PngKey, string? PdfKey, string? PhotoKey, DateTime? ExpiredAt, DateTime? ExpiryNoticeAt, DateTime? PurgedAt);

/// <summary>What the issue job writes.</summary>
public sealed record NewReceipt(Guid OrderId, string? Style, string ImageNumber, DateOnly ValidUntil, string? PngKey, string? PdfKey, string PhotoKey);

/// <summary>Receipts (one per approved order; <see cref="Orders.OrderLifecycle.IssueAsync"/> records them) and what delivering them needs.</summary>
public sealed class ReceiptStore(NpgsqlDataSource db)
{
    private const string Columns = """
        order_id, style, image_number, issued_at, valid_until, png_key, pdf_key, photo_key, expired_at, expiry_notice_at, purged_at
        """;

    public async Task<ReceiptRow?> FindAsync(Guid orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ReceiptRow>(new CommandDefinition(
            $"SELECT {Columns} FROM receipts WHERE order_id = @orderId", new { orderId }, cancellationToken: ct));
    }

    /// <summary>Who paid for the order and how WeChat knows the payment; null transaction id for a free order.</summary>
    public async Task<DeliveryTarget?> DeliveryTargetAsync(Guid orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<DeliveryTarget>(new CommandDefinition("""
            SELECT o.id AS order_id, o.order_no, o.product_id, o.transaction_id, u.openid AS payer_open_id, o.delivery_reported_at
            FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = @orderId
            """, new { orderId }, cancellationToken: ct));
    }

    /// <summary>Marks the delivery reported; false when it already was (a duplicate run).</summary>
    public async Task<bool> MarkDeliveryReportedAsync(Guid orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE orders SET delivery_reported_at = now() WHERE id = @orderId AND delivery_reported_at IS NULL",
            new { orderId }, cancellationToken: ct)) == 1;
    }
}

public sealed record DeliveryTarget(Guid OrderId, string OrderNo, string ProductId, string? TransactionId, string PayerOpenId, DateTime? DeliveryReportedAt);
