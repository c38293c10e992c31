using Dapper;
using Npgsql;

namespace PhotoReceipt.Data.Receipts;

/// <summary>A receipt as stored; <see cref="ValidUntil"/> is the last valid day as printed on it.</summary>
public sealed record ReceiptRow(
    Guid OrderId, string? Style, string ImageNumber, DateTime IssuedAt, DateOnly ValidUntil,
    string? PngKey, string? PdfKey, string? PhotoKey, DateTime? ExpiredAt, DateTime? ExpiryNoticeAt, DateTime? PurgedAt);

/// <summary>What the issue job writes.</summary>
public sealed record NewReceipt(Guid OrderId, string? Style, string ImageNumber, DateOnly ValidUntil, string? PngKey, string? PdfKey, string PhotoKey);

/// <summary>Receipts (one per approved order) and what their issue needs from the order.</summary>
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

    /// <summary>
    /// Records the receipt once. The row, a timeline note and <paramref name="alsoWhenRecorded"/> (the
    /// delivery report) commit together; false when the order already has its receipt (a retried job).
    /// </summary>
    public async Task<bool> RecordAsync(NewReceipt receipt, Func<NpgsqlConnection, NpgsqlTransaction, Task>? alsoWhenRecorded, CancellationToken ct)
    {
        const string insert = """
            INSERT INTO receipts (order_id, style, image_number, valid_until, png_key, pdf_key, photo_key)
            VALUES (@OrderId, @Style, @ImageNumber, @validUntil::date, @PngKey, @PdfKey, @PhotoKey)
            ON CONFLICT (order_id) DO NOTHING
            """;
        // The note sits on the order's own status: issuing is not a transition, but users see it happen.
        const string note = """
            INSERT INTO order_events (order_id, from_status, to_status, actor, note)
            SELECT id, status, status, 'worker', @text FROM orders WHERE id = @OrderId
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var inserted = await conn.ExecuteAsync(new CommandDefinition(insert, new
        {
            receipt.OrderId, receipt.Style, receipt.ImageNumber, validUntil = receipt.ValidUntil.ToDateTime(TimeOnly.MinValue),
            receipt.PngKey, receipt.PdfKey, receipt.PhotoKey,
        }, tx, cancellationToken: ct));
        if (inserted == 0) return false;
        var text = receipt.Style is null ? "电子证件照已生成，可在订单页下载" : "照片回执已生成，可在订单页下载";
        await conn.ExecuteAsync(new CommandDefinition(note, new { receipt.OrderId, text }, tx, cancellationToken: ct));
        if (alsoWhenRecorded is not null) await alsoWhenRecorded(conn, tx);
        await tx.CommitAsync(ct);
        return true;
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
