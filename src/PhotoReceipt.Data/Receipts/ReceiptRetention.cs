using Dapper;
using Npgsql;
using PhotoReceipt.Core.Notices;

namespace PhotoReceipt.Data.Receipts;

/// <summary>The blobs one order still holds at the end of retention.</summary>
public sealed record PurgeCandidate(Guid OrderId, string[] BlobKeys);

/// <summary>
/// A receipt's life after issue, all by the database's clock in China's calendar (a receipt is
/// valid through the date printed on it): expiry, the reminder before it, and the deletion of
/// photos, receipts and personal data a configurable number of days after it.
/// </summary>
public sealed class ReceiptRetention(NpgsqlDataSource db)
{
    public const int ReminderDays = 3;

    /// <summary>Today in China; receipts print China dates.</summary>
    internal const string TodayCn = "(now() AT TIME ZONE 'Asia/Shanghai')::date";

    /// <summary>
    /// Writes <see cref="NoticeKinds.Expiring"/> for receipts that expire within
    /// <see cref="ReminderDays"/> days. The stamp and the outbox row are one statement, so each order
    /// gets exactly one reminder however often (or on however many replicas) this runs.
    /// </summary>
    public async Task<int> WriteRemindersAsync(CancellationToken ct)
    {
        const string sql = $"""
            WITH due AS (
                UPDATE receipts r SET expiry_notice_at = now()
                FROM orders o
                WHERE o.id = r.order_id AND o.status = 'approved'
                  AND r.expiry_notice_at IS NULL AND r.expired_at IS NULL
                  AND r.valid_until >= {TodayCn} AND r.valid_until - @reminderDays <= {TodayCn}
                RETURNING r.order_id, r.image_number, r.valid_until, r.valid_until - {TodayCn} AS days_left)
            INSERT INTO outbox (kind, order_id, payload)
            SELECT @kind, order_id,
                   jsonb_build_object('orderId', order_id, 'imageNumber', image_number, 'validUntil', valid_until, 'daysLeft', days_left)
            FROM due
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(sql, new { reminderDays = ReminderDays, kind = NoticeKinds.Expiring }, cancellationToken: ct));
    }

    /// <summary>
    /// Receipts <paramref name="daysAfterExpiry"/> days past their last valid day, with every blob
    /// their order still holds: the receipt files and the source, standardized and preview images
    /// of each photo the order submitted, except a photo another order still needs.
    /// </summary>
    public async Task<IReadOnlyList<PurgeCandidate>> DueForPurgeAsync(int daysAfterExpiry, int limit, CancellationToken ct)
    {
        const string due = $"""
            SELECT order_id, png_key, pdf_key FROM receipts
            WHERE purged_at IS NULL AND valid_until + @daysAfterExpiry < {TodayCn}
            ORDER BY valid_until LIMIT @limit
            """;
        const string photoKeys = $"SELECT k FROM (SELECT unnest(ARRAY[source_key, result_key, preview_key, print_sheet_key]) AS k FROM ({OrderPhotos}) ph) keys WHERE k IS NOT NULL";
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<(Guid OrderId, string? PngKey, string? PdfKey)>(new CommandDefinition(
            due, new { daysAfterExpiry, limit }, cancellationToken: ct))).AsList();
        var candidates = new List<PurgeCandidate>(rows.Count);
        foreach (var (orderId, png, pdf) in rows)
        {
            var keys = await conn.QueryAsync<string>(new CommandDefinition(photoKeys, new { orderId }, cancellationToken: ct));
            candidates.Add(new PurgeCandidate(orderId, [.. new[] { png, pdf }.OfType<string>(), .. keys]));
        }
        return candidates;
    }

    // The photos an order holds: its current one and every one it submitted to the center,
    // unless another order whose data is not yet purged refers to the same photo.
    private const string OrderPhotos = """
        SELECT p.id, p.source_key, p.result_key, p.preview_key, p.print_sheet_key FROM photos p
        WHERE p.purged_at IS NULL
          AND (p.id = (SELECT photo_id FROM orders WHERE id = @orderId)
               OR p.id IN (SELECT photo_id FROM center_submissions WHERE order_id = @orderId))
          AND NOT EXISTS (SELECT 1 FROM orders o2 WHERE o2.photo_id = p.id AND o2.id <> @orderId AND o2.pii_purged_at IS NULL)
          AND NOT EXISTS (SELECT 1 FROM center_submissions s2 JOIN orders o3 ON o3.id = s2.order_id
                          WHERE s2.photo_id = p.id AND s2.order_id <> @orderId AND o3.pii_purged_at IS NULL)
        """;

    /// <summary>
    /// After the blobs are gone: the photos' keys cleared and purged_at set, the order's personal
    /// data removed (ciphertexts, look-up hashes, the request hash that covered the ID number;
    /// masked values read 已删除), the receipt stamped, a timeline note. One transaction; false when
    /// the receipt was already purged.
    /// </summary>
    public async Task<bool> MarkPurgedAsync(Guid orderId, CancellationToken ct)
    {
        const string photos = $"""
            UPDATE photos SET source_key = NULL, result_key = NULL, preview_key = NULL, print_sheet_key = NULL, purged_at = now()
            WHERE id IN (SELECT id FROM ({OrderPhotos}) ph)
            """;
        const string order = """
            UPDATE orders SET applicant_name_enc = NULL, applicant_id_enc = NULL, applicant_phone_enc = NULL,
                   applicant_id_hash = NULL, applicant_phone_hash = NULL, pii_key_id = NULL,
                   applicant_name_masked = '已删除', applicant_id_masked = '已删除', applicant_phone_masked = '已删除',
                   request_hash = '\x'::bytea, pii_purged_at = now(), updated_at = now()
            WHERE id = @orderId
            """;
        const string guardian = """
            UPDATE order_guardian_consents SET guardian_name_enc = NULL, guardian_name_masked = '已删除', pii_key_id = NULL
            WHERE order_id = @orderId
            """;
        const string note = """
            INSERT INTO order_events (order_id, from_status, to_status, actor, note)
            SELECT id, status, status, 'system', '已超过保存期限：照片、回执和个人信息已删除' FROM orders WHERE id = @orderId
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var stamped = await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE receipts SET purged_at = now(), png_key = NULL, pdf_key = NULL, photo_key = NULL
            WHERE order_id = @orderId AND purged_at IS NULL
            """, new { orderId }, tx, cancellationToken: ct));
        if (stamped == 0) return false;
        await conn.ExecuteAsync(new CommandDefinition(photos, new { orderId }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(order, new { orderId }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(guardian, new { orderId }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(note, new { orderId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }
}
