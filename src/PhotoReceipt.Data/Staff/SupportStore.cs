using Dapper;
using Npgsql;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Core.Notices;
using PhotoReceipt.Data.Notices;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Review;

namespace PhotoReceipt.Data.Staff;

public static class LookupKinds
{
    public const string OrderNo = "order_no";
    public const string ImageNumber = "image_number";
    public const string Phone = "phone";
    public const string IdNumber = "id_number";
    public const string OpenId = "openid";

    public static readonly IReadOnlyList<string> All = [OrderNo, ImageNumber, Phone, IdNumber, OpenId];
}

public sealed record SupportAlert(long Id, Guid? OrderId, string? OrderNo, string Kind, string Message, DateTime CreatedAt);

public sealed record OrderJob(long Id, string Kind, string Status, int Attempts, int MaxAttempts, string? LastError, DateTime UpdatedAt);

/// <summary>What the support desk reads and does. Personal data is matched by keyed hash and shown masked only.</summary>
public sealed class SupportStore(NpgsqlDataSource db)
{
    // Same columns and order as OrderStore's, so Dapper builds the same OrderRow.
    private const string Columns = """
        o.id, o.order_no, o.user_id, o.product_id, o.photo_id, o.status, o.price_fen, o.applicant_name_masked,
        o.applicant_id_masked, o.applicant_phone_masked, o.consent_version, o.consent_at, o.idempotency_key,
        o.request_hash, o.image_number, o.paid_at, o.created_at, o.updated_at
        """;

    /// <summary>Orders matching one key. <paramref name="text"/> is used for order number, image number and openid; <paramref name="hash"/> for phone and ID number.</summary>
    public async Task<IReadOnlyList<OrderRow>> FindOrdersAsync(string kind, string? text, byte[]? hash, CancellationToken ct)
    {
        var where = kind switch
        {
            LookupKinds.OrderNo => "o.order_no = @text",
            LookupKinds.ImageNumber => "o.image_number = @text",
            LookupKinds.Phone => "o.applicant_phone_hash = @hash",
            LookupKinds.IdNumber => "o.applicant_id_hash = @hash",
            LookupKinds.OpenId => "o.user_id = (SELECT id FROM users WHERE openid = @text)",
            _ => throw new ArgumentException($"Unknown look-up kind '{kind}'.", nameof(kind)),
        };
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<OrderRow>(new CommandDefinition(
            $"SELECT {Columns} FROM orders o WHERE {where} ORDER BY o.created_at DESC LIMIT 50", new { text, hash }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Alerts nobody has resolved yet, newest first (the support desk's front page).</summary>
    public async Task<IReadOnlyList<SupportAlert>> OpenAlertsAsync(int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<SupportAlert>(new CommandDefinition("""
            SELECT a.id, a.order_id, o.order_no, a.kind, a.message, a.created_at
            FROM support_alerts a LEFT JOIN orders o ON o.id = a.order_id
            WHERE a.resolved_at IS NULL ORDER BY a.created_at DESC, a.id DESC LIMIT @limit
            """, new { limit }, cancellationToken: ct))).AsList();
    }

    public async Task<string?> OpenIdOfAsync(Guid userId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT openid FROM users WHERE id = @userId", new { userId }, cancellationToken: ct));
    }

    /// <summary>The order's jobs and the jobs of its photo (e.g. a dead submission support may requeue).</summary>
    public async Task<IReadOnlyList<OrderJob>> JobsAsync(Guid orderId, Guid photoId, CancellationToken ct)
    {
        const string sql = """
            SELECT id, kind, status, attempts, max_attempts, last_error, updated_at FROM jobs
            WHERE payload->>'orderId' = @order OR payload->>'photoId' = @photo
            ORDER BY id
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<OrderJob>(new CommandDefinition(sql, new { order = orderId.ToString(), photo = photoId.ToString() }, cancellationToken: ct))).AsList();
    }

    /// <summary>Writes the order's notice again (a new outbox row) for an approved or rejected order; false for any other status.</summary>
    public async Task<bool> ResendNoticeAsync(Guid orderId, Guid staffId, string staffName, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // FOR SHARE: the status cannot change between reading it and writing the notice that describes it.
        var status = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM orders WHERE id = @orderId FOR SHARE", new { orderId }, tx, cancellationToken: ct));
        var kind = status switch
        {
            OrderStatus.Approved => NoticeKinds.Approved,
            OrderStatus.Rejected => NoticeKinds.Rejected,
            _ => null,
        };
        if (kind is null) return false;
        var last = await ReviewStore.LatestDecisionAsync(conn, tx, orderId, ct);
        var payload = kind == NoticeKinds.Approved
            ? (object)new { orderId, attempt = last?.Attempt, imageNumber = last?.ImageNumber, resend = true }
            : new { orderId, attempt = last?.Attempt, reasonCodes = last?.ReasonCodes ?? [], resend = true };
        await Outbox.WriteAsync(conn, tx, kind, orderId, payload, ct);
        await AuditLog.WriteAsync(conn, tx, staffId, staffName, "resend_notice", $"order:{orderId}", ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
