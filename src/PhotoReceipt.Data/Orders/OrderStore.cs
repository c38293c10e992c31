using System.Security.Cryptography;
using Dapper;
using Npgsql;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Review;

namespace PhotoReceipt.Data.Orders;

/// <summary>
/// Orders and their timeline. Every status change is a compare-and-set UPDATE plus an order_events
/// row in the same transaction, so no transition is lost or applied twice.
/// </summary>
public sealed class OrderStore(NpgsqlDataSource db, JobQueue jobs, TimeProvider clock)
{
    private const string Columns = """
        id, order_no, user_id, product_id, photo_id, status, price_fen, applicant_name_masked,
        applicant_id_masked, applicant_phone_masked, consent_version, consent_at, idempotency_key,
        request_hash, image_number, paid_at, created_at, updated_at
        """;

    /// <summary>
    /// Inserts the order unless the user already made one with this Idempotency-Key; either way
    /// returns the order that holds the key and whether this call created it. Safe under any number
    /// of concurrent calls with the same key: the unique constraint picks one winner.
    /// </summary>
    public async Task<(OrderRow Order, bool Created)> CreateAsync(NewOrder order, Func<NpgsqlConnection, NpgsqlTransaction, Task>? alsoInTransaction, CancellationToken ct)
    {
        const string insert = """
            INSERT INTO orders (id, order_no, user_id, product_id, photo_id, status, price_fen,
                applicant_name_enc, applicant_id_enc, applicant_phone_enc, applicant_id_hash, applicant_phone_hash,
                applicant_name_masked, applicant_id_masked, applicant_phone_masked, pii_key_id,
                consent_version, consent_at, idempotency_key, request_hash)
            VALUES (@Id, @OrderNo, @UserId, @ProductId, @PhotoId, @InitialStatus, @PriceFen,
                @NameEnc, @IdEnc, @PhoneEnc, @IdHash, @PhoneHash, @NameMasked, @IdMasked, @PhoneMasked, @PiiKeyId,
                @ConsentVersion, now(), @IdempotencyKey, @RequestHash)
            ON CONFLICT (user_id, idempotency_key) DO NOTHING
            RETURNING id
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var id = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(insert, order, tx, cancellationToken: ct));
            if (id is not null)
            {
                await AddEventAsync(conn, tx, order.Id, null, OrderStatus.Created, "user", null, ct);
                if (order.InitialStatus != OrderStatus.Created)
                    await AddEventAsync(conn, tx, order.Id, OrderStatus.Created, order.InitialStatus, "system",
                        order.PriceFen == 0 ? "免费产品，无需支付" : null, ct);
                if (alsoInTransaction is not null) await alsoInTransaction(conn, tx);
                await tx.CommitAsync(ct);
                return (await FindAsync(conn, order.Id, ct), true);
            }
        }
        // Lost the race (or a retry): the winner's row is committed, since ON CONFLICT waited for it.
        var existing = await conn.QuerySingleAsync<OrderRow>(new CommandDefinition(
            $"SELECT {Columns} FROM orders WHERE user_id = @UserId AND idempotency_key = @IdempotencyKey",
            new { order.UserId, order.IdempotencyKey }, cancellationToken: ct));
        return (existing, false);
    }

    public async Task<OrderRow?> FindByIdempotencyKeyAsync(Guid userId, string idempotencyKey, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {Columns} FROM orders WHERE user_id = @userId AND idempotency_key = @idempotencyKey",
            new { userId, idempotencyKey }, cancellationToken: ct));
    }

    public async Task<OrderRow?> FindForUserAsync(Guid id, Guid userId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {Columns} FROM orders WHERE id = @id AND user_id = @userId", new { id, userId }, cancellationToken: ct));
    }

    public async Task<OrderRow?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {Columns} FROM orders WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>The list query in its four shapes: [status filter?] + 2 × [after a cursor?].</summary>
    private static readonly string[] ListSql =
    [
        ListQuery(""),
        ListQuery(ByStatus),
        ListQuery(AfterCursor),
        ListQuery($"{ByStatus} {AfterCursor}"),
    ];

    private const string ByStatus = "AND status = @status";
    private const string AfterCursor = "AND (created_at, id) < (@afterAt, @afterId)";

    internal static string ListSqlFor(string? status, OrderCursor? after) => ListSql[(status is null ? 0 : 1) + (after is null ? 0 : 2)];

    // The columns are those INCLUDEd in orders_user_list_cov_idx (migration 0007): keep them in step.
    private static string ListQuery(string conditions) => $"""
        SELECT id, order_no, product_id, status, price_fen, applicant_name_masked, image_number, created_at, updated_at
        FROM orders
        WHERE user_id = @userId {conditions}
        ORDER BY created_at DESC, id DESC
        LIMIT @limit
        """;

    /// <summary>The user's orders, newest first, one page after the cursor (limit + 1 rows tell whether more follow).</summary>
    public async Task<IReadOnlyList<OrderSummaryRow>> ListForUserAsync(Guid userId, string? status, OrderCursor? after, int limit, CancellationToken ct)
    {
        // Only the conditions in use are sent, so each shape gets its own prepared plan and the cursor
        // becomes an index condition on orders_user_list_cov_idx rather than a filter over every row.
        var sql = ListSqlFor(status, after);
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<OrderSummaryRow>(new CommandDefinition(sql, new
        {
            userId, status, afterAt = after?.CreatedAt, afterId = after?.Id, limit,
        }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>The user's most recent order, if any.</summary>
    public async Task<OrderRow?> LatestForUserAsync(Guid userId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {Columns} FROM orders WHERE user_id = @userId ORDER BY created_at DESC, id DESC LIMIT 1", new { userId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<OrderEvent>> TimelineAsync(Guid orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<OrderEvent>(new CommandDefinition(
            "SELECT id, from_status, to_status, actor, note, created_at FROM order_events WHERE order_id = @orderId ORDER BY id",
            new { orderId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// Compare-and-set: moves the order to <paramref name="to"/> only if it is in one of
    /// <paramref name="from"/>, and records the event. Returns the status it moved from, or null
    /// when it was not in any of them (someone else moved it first).
    /// </summary>
    public async Task<string?> TryMoveAsync(Guid id, IReadOnlyCollection<string> from, string to, string actor, string? note,
        Func<NpgsqlConnection, NpgsqlTransaction, Task>? alsoInTransaction, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var moved = await TryMoveAsync(conn, tx, id, from, to, actor, note, ct);
        if (moved is null) return null;
        if (alsoInTransaction is not null) await alsoInTransaction(conn, tx);
        await tx.CommitAsync(ct);
        return moved;
    }

    public static async Task<string?> TryMoveAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, IReadOnlyCollection<string> from,
        string to, string actor, string? note, CancellationToken ct)
    {
        foreach (var f in from)
            if (!OrderStatus.CanMove(f, to)) throw new InvalidOperationException($"The order lifecycle has no move {f} → {to}.");
        const string sql = """
            WITH prev AS (SELECT id, status FROM orders WHERE id = @id AND status = ANY(@from) FOR UPDATE)
            UPDATE orders o SET status = @to, updated_at = now()
            FROM prev WHERE o.id = prev.id
            RETURNING prev.status
            """;
        var previous = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(sql, new { id, from = from.ToArray(), to }, tx, cancellationToken: ct));
        if (previous is null) return null;
        await AddEventAsync(conn, tx, id, previous, to, actor, note, ct);
        return previous;
    }

    /// <summary>
    /// A retake: a rejected order goes back to queued with a new photo, without paying again. The
    /// compare-and-set, the photo swap and <paramref name="alsoInTransaction"/> (the submission job)
    /// commit together. False when the order was no longer rejected.
    /// </summary>
    public async Task<bool> TryRetakeAsync(Guid id, Guid photoId, string actor, Func<NpgsqlConnection, NpgsqlTransaction, Task> alsoInTransaction,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var moved = await TryMoveAsync(conn, tx, id, [OrderStatus.Rejected], OrderStatus.Queued, actor, "重新拍摄，免费重新提交审核", ct);
        if (moved is null) return false;
        await conn.ExecuteAsync(new CommandDefinition("UPDATE orders SET photo_id = @photoId WHERE id = @id", new { id, photoId }, tx, cancellationToken: ct));
        await alsoInTransaction(conn, tx);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Cancels an order that has not gone to the photo center yet, for the user or for support alike;
    /// a paid order's refund is enqueued in the same transaction, so neither happens without the other.
    /// Returns the status it was cancelled from, or null when it could no longer be cancelled.
    /// </summary>
    public async Task<string?> TryCancelAsync(Guid id, string actor, string note,
        Func<NpgsqlConnection, NpgsqlTransaction, Task>? alsoInTransaction, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var moved = await TryMoveAsync(conn, tx, id, OrderStatus.Cancellable, OrderStatus.Cancelled, actor, note, ct);
        if (moved is null) return null;
        var paid = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT transaction_id IS NOT NULL FROM orders WHERE id = @id", new { id }, tx, cancellationToken: ct));
        if (paid) await jobs.EnqueueRefundAsync(conn, tx, id, ct);
        if (alsoInTransaction is not null) await alsoInTransaction(conn, tx);
        await tx.CommitAsync(ct);
        return moved;
    }

    /// <summary>Order numbers: R + date + 10 random digits; the unique constraint catches the (rare) clash.</summary>
    public string NewOrderNo()
    {
        var date = clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        return "R" + date + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture)
                   + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task AddEventAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid orderId, string? from, string to, string actor, string? note, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO order_events (order_id, from_status, to_status, actor, note) VALUES (@orderId, @from, @to, @actor, @note)",
            new { orderId, from, to, actor, note }, tx, cancellationToken: ct));

    private static async Task<OrderRow> FindAsync(NpgsqlConnection conn, Guid id, CancellationToken ct) =>
        await conn.QuerySingleAsync<OrderRow>(new CommandDefinition($"SELECT {Columns} FROM orders WHERE id = @id", new { id }, cancellationToken: ct));
}
