using Dapper;
using Npgsql;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Orders;

namespace PhotoReceipt.Data.Review;

/// <summary>
/// Submissions to the photo center, reviewers' claims, decisions as recorded and the callbacks that deliver
/// them. Recording a submission or a decision moves the order, so that is <see cref="OrderLifecycle"/>'s.
/// </summary>
public sealed class ReviewStore(NpgsqlDataSource db, JobQueue jobs)
{
    /// <summary>The attempt the next submission of an order will be: 1, then one more per recorded submission.</summary>
    internal const string NextAttemptSql = "SELECT coalesce(max(attempt), 0) + 1 FROM center_submissions WHERE order_id = @orderId";

    public async Task<int> NextAttemptAsync(Guid orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition(NextAttemptSql, new { orderId }, cancellationToken: ct));
    }

    /// <summary>Whether this photo already went to the center for this order (a retake needs a photo not yet reviewed).</summary>
    public async Task<bool> WasSubmittedAsync(Guid orderId, Guid photoId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM center_submissions WHERE order_id = @orderId AND photo_id = @photoId)",
            new { orderId, photoId }, cancellationToken: ct));
    }

    public async Task<SubmissionRow?> LatestSubmissionAsync(Guid orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<SubmissionRow>(new CommandDefinition("""
            SELECT order_id, attempt, photo_id, center, center_ref, submitted_at FROM center_submissions
            WHERE order_id = @orderId ORDER BY attempt DESC LIMIT 1
            """, new { orderId }, cancellationToken: ct));
    }

    /// <summary>Orders waiting at the review desk, oldest submission first.</summary>
    public async Task<IReadOnlyList<QueueItem>> QueueAsync(int limit, CancellationToken ct)
    {
        const string sql = """
            SELECT o.id AS order_id, o.order_no, o.product_id, s.attempt, s.submitted_at, su.username AS claimed_by
            FROM orders o
            JOIN center_submissions s ON s.order_id = o.id
             AND s.attempt = (SELECT max(attempt) FROM center_submissions WHERE order_id = o.id)
            LEFT JOIN review_claims c ON c.order_id = o.id AND c.lease_until > now()
            LEFT JOIN staff_users su ON su.id = c.staff_id
            WHERE o.status = 'submitted' AND s.center = 'review_desk'
            ORDER BY s.submitted_at, o.id
            LIMIT @limit
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<QueueItem>(new CommandDefinition(sql, new { limit }, cancellationToken: ct))).AsList();
    }

    // Compare-and-set claim: succeeds when nobody holds the order, the holder's lease ran out, or the
    // caller already holds it (renewed). Two concurrent claims conflict on the primary key; the
    // second waits for the first transaction and then re-checks the WHERE against the winner's row.
    internal const string ClaimSql = """
        INSERT INTO review_claims (order_id, staff_id, lease_until) VALUES (@orderId, @staffId, now() + make_interval(secs => @seconds))
        ON CONFLICT (order_id) DO UPDATE SET staff_id = EXCLUDED.staff_id, claimed_at = now(), lease_until = EXCLUDED.lease_until
        WHERE review_claims.staff_id = EXCLUDED.staff_id OR review_claims.lease_until < now()
        RETURNING staff_id
        """;

    /// <summary>Claims the order for a reviewer who opens it. Returns null on success, else the holder's username.</summary>
    public async Task<string?> TryClaimAsync(Guid orderId, Guid staffId, TimeSpan lease, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var won = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(ClaimSql, new { orderId, staffId, seconds = lease.TotalSeconds }, cancellationToken: ct));
        return won is not null ? null : await HolderAsync(conn, orderId, ct);
    }

    private static async Task<string> HolderAsync(NpgsqlConnection conn, Guid orderId, CancellationToken ct) =>
        await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT s.username FROM review_claims c JOIN staff_users s ON s.id = c.staff_id WHERE c.order_id = @orderId",
            new { orderId }, cancellationToken: ct)) ?? "?";

    /// <summary>
    /// Records an external center's decision id and queues the decision in one transaction. False
    /// when that id was delivered before: a replayed callback is refused, never applied twice.
    /// </summary>
    public async Task<bool> AcceptCallbackAsync(string decisionId, CenterDecision decision, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var inserted = await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO center_callbacks (decision_id, order_id) VALUES (@decisionId, @orderId) ON CONFLICT (decision_id) DO NOTHING",
            new { decisionId, orderId = decision.OrderId }, tx, cancellationToken: ct));
        if (inserted == 0) return false;
        await jobs.EnqueueAsync(conn, tx, JobKinds.DecideOrder, decision, JobKinds.DecideOrder.Key("callback", decisionId), ct: ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Whether another order already holds <paramref name="imageNumber"/>.</summary>
    public async Task<bool> ImageNumberTakenAsync(string imageNumber, Guid orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM orders WHERE image_number = @imageNumber AND id <> @orderId)",
            new { imageNumber, orderId }, cancellationToken: ct));
    }

    /// <summary>
    /// A center's approval whose image number another order holds: a timeline entry on the order (its status
    /// stays) and an open support alert, in one transaction. Nothing is applied.
    /// </summary>
    public async Task RecordImageNumberConflictAsync(Guid orderId, int attempt, string imageNumber, string source, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO order_events (order_id, from_status, to_status, actor, note)
            SELECT id, status, status, 'center', '审核中心返回的图像号与其他订单重复，已转客服核实' FROM orders WHERE id = @orderId
            """, new { orderId }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO support_alerts (order_id, kind, message) VALUES (@orderId, 'image_number_conflict', @message)
            """, new { orderId, message = $"照片审核中心（{source}）对第 {attempt} 次提交给出的图像号 {imageNumber} 已属于另一订单；订单未改变，请联系审核中心核实。" },
            tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>The latest decision on the order (the one its current status came from, if decided).</summary>
    public async Task<DecisionRow?> LatestDecisionAsync(Guid orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await LatestDecisionAsync(conn, null, orderId, ct);
    }

    public static Task<DecisionRow?> LatestDecisionAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid orderId, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<DecisionRow>(new CommandDefinition("""
            SELECT id, order_id, attempt, decision, reason_codes, note, image_number, decided_by, decided_at
            FROM review_decisions WHERE order_id = @orderId ORDER BY attempt DESC LIMIT 1
            """, new { orderId }, tx, cancellationToken: ct));
}
