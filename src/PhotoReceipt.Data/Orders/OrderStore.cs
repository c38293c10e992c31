using System.Security.Cryptography;
using Dapper;
using Npgsql;
using PhotoReceipt.Core.Orders;

namespace PhotoReceipt.Data.Orders;

/// <summary>
/// Reading orders and their timeline. Changing one is <see cref="OrderLifecycle"/>'s job alone.
/// </summary>
public sealed class OrderStore(NpgsqlDataSource db, TimeProvider clock)
{
    internal const string Columns = """
        id, order_no, user_id, product_id, photo_id, status, price_fen, applicant_name_masked,
        applicant_id_masked, applicant_phone_masked, consent_version, consent_at, idempotency_key,
        request_hash, image_number, paid_at, created_at, updated_at
        """;

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

    /// <summary>Order numbers: R + date + 10 random digits; the unique constraint catches the (rare) clash.</summary>
    public string NewOrderNo()
    {
        var date = clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        return "R" + date + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture)
                   + RandomNumberGenerator.GetInt32(0, 100_000).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static async Task<OrderRow> FindAsync(NpgsqlConnection conn, Guid id, CancellationToken ct) =>
        await conn.QuerySingleAsync<OrderRow>(new CommandDefinition($"SELECT {Columns} FROM orders WHERE id = @id", new { id }, cancellationToken: ct));
}
