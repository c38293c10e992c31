using System.Text.Json;
using Dapper;
using Npgsql;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Orders;

namespace PhotoReceipt.Data.Review;

/// <summary>
/// Submissions to the photo center, reviewers' claims and the decisions that end a review. A
/// decision is one transaction: the order's compare-and-set, the decision row, the image number and
/// the outbox notice, so the user is told exactly when (and only when) the order changed.
/// </summary>
public sealed class ReviewStore(NpgsqlDataSource db)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<int> NextAttemptAsync(Guid orderId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT coalesce(max(attempt), 0) + 1 FROM center_submissions WHERE order_id = @orderId", new { orderId }, cancellationToken: ct));
    }

    /// <summary>
    /// queued → submitted with the submission row, and (simulator) the decision job, in one
    /// transaction. False when the order was no longer queued (cancelled meanwhile, or a duplicate run).
    /// </summary>
    public async Task<bool> RecordSubmissionAsync(SubmissionRow submission, JobQueue jobs, CenterDecision? scheduled, TimeSpan decideAfter,
        CancellationToken ct)
    {
        const string insert = """
            INSERT INTO center_submissions (order_id, attempt, photo_id, center, center_ref)
            VALUES (@OrderId, @Attempt, @PhotoId, @Center, @CenterRef)
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var moved = await OrderStore.TryMoveAsync(conn, tx, submission.OrderId, [OrderStatus.Queued], OrderStatus.Submitted, "worker",
            submission.Center == Centers.ReviewDesk ? "已提交审核" : "已提交照片审核中心", ct);
        if (moved is null) return false;
        await conn.ExecuteAsync(new CommandDefinition(insert, submission, tx, cancellationToken: ct));
        if (scheduled is not null)
            await jobs.EnqueueAsync(conn, tx, OrderJobs.Decide, scheduled, $"{OrderJobs.Decide}:{submission.OrderId}:{submission.Attempt}", decideAfter, ct);
        await tx.CommitAsync(ct);
        return true;
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
    private const string ClaimSql = """
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
    /// Applies a decision once. <paramref name="newImageNumber"/> issues our own number when the
    /// center supplies none (the 2⁻⁷⁵ clash on the unique constraint fails the transaction; the
    /// caller's retry draws again).
    /// </summary>
    /// <remarks>
    /// A reviewer's decision (<paramref name="staffId"/> set) claims the order first, in the same
    /// transaction: a rival reviewer's claim blocks on it until this commits, finds the claim gone
    /// and the order decided, and is told "already decided".
    /// </remarks>
    /// <param name="alsoOnApproval">Runs inside the transaction of an approval (the receipt's issue job), so an approved order always has it.</param>
    public async Task<DecisionOutcome> ApplyAsync(CenterDecision decision, Guid? staffId, TimeSpan claimLease, Func<string> newImageNumber,
        Func<NpgsqlConnection, NpgsqlTransaction, Task>? alsoOnApproval, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (staffId is not null)
        {
            var claimed = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(ClaimSql,
                new { orderId = decision.OrderId, staffId, seconds = claimLease.TotalSeconds }, tx, cancellationToken: ct));
            if (claimed is null) return DecisionOutcome.ClaimedByOther;
        }
        var to = decision.Approved ? OrderStatus.Approved : OrderStatus.Rejected;
        // The CAS takes the order's row lock, so the attempt read below cannot change under us
        // (a new submission needs the same row in queued).
        var moved = await OrderStore.TryMoveAsync(conn, tx, decision.OrderId, [OrderStatus.Submitted], to, decision.DecidedBy,
            decision.Approved ? "照片审核通过" : "照片审核未通过", ct);
        if (moved is null) return DecisionOutcome.AlreadyDecided;
        var attempt = await conn.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT max(attempt) FROM center_submissions WHERE order_id = @OrderId", decision, tx, cancellationToken: ct));
        if (attempt != decision.Attempt)
        {
            await tx.RollbackAsync(ct);
            return DecisionOutcome.StaleAttempt;
        }

        var imageNumber = decision.Approved ? decision.ImageNumber ?? newImageNumber() : null;
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO review_decisions (order_id, attempt, decision, reason_codes, note, image_number, decided_by, staff_id)
            VALUES (@OrderId, @Attempt, @kind, @codes, @Note, @imageNumber, @DecidedBy, @staffId)
            """, new { decision.OrderId, decision.Attempt, kind = to, codes = decision.ReasonCodes.ToArray(), decision.Note, imageNumber,
            decision.DecidedBy, staffId }, tx, cancellationToken: ct));
        if (imageNumber is not null)
        {
            try
            {
                await conn.ExecuteAsync(new CommandDefinition("UPDATE orders SET image_number = @imageNumber WHERE id = @OrderId",
                    new { imageNumber, decision.OrderId }, tx, cancellationToken: ct));
            }
            // A number the center supplied that another order holds will clash on every retry: not a job to retry.
            // (Our own numbers are drawn again by the caller's retry; a clash there is 2⁻⁷⁵.)
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && decision.ImageNumber is not null)
            {
                await tx.RollbackAsync(CancellationToken.None);
                return DecisionOutcome.ImageNumberTaken;
            }
        }
        var payload = decision.Approved
            ? JsonSerializer.Serialize(new { orderId = decision.OrderId, attempt = decision.Attempt, imageNumber }, Json)
            : JsonSerializer.Serialize(new { orderId = decision.OrderId, attempt = decision.Attempt, reasonCodes = decision.ReasonCodes }, Json);
        await WriteNoticeAsync(conn, tx, decision.Approved ? NoticeKinds.Approved : NoticeKinds.Rejected, decision.OrderId, payload, ct);
        if (decision.Approved && alsoOnApproval is not null) await alsoOnApproval(conn, tx);
        // Only a reviewer's decision touches the claim (its row is already locked by this transaction);
        // a center's decision leaves any stale claim to expire, so the two never lock in opposite orders.
        if (staffId is not null)
            await conn.ExecuteAsync(new CommandDefinition("DELETE FROM review_claims WHERE order_id = @OrderId", decision, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return DecisionOutcome.Applied;
    }

    /// <summary>
    /// Records an external center's decision id and queues the decision in one transaction. False
    /// when that id was delivered before: a replayed callback is refused, never applied twice.
    /// </summary>
    public async Task<bool> AcceptCallbackAsync(string decisionId, CenterDecision decision, JobQueue jobs, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var inserted = await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO center_callbacks (decision_id, order_id) VALUES (@decisionId, @orderId) ON CONFLICT (decision_id) DO NOTHING",
            new { decisionId, orderId = decision.OrderId }, tx, cancellationToken: ct));
        if (inserted == 0) return false;
        await jobs.EnqueueAsync(conn, tx, OrderJobs.Decide, decision, $"{OrderJobs.Decide}:callback:{decisionId}", ct: ct);
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

    public static Task WriteNoticeAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string kind, Guid orderId, string payloadJson, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO outbox (kind, order_id, payload) VALUES (@kind, @orderId, @payloadJson::jsonb)",
            new { kind, orderId, payloadJson }, tx, cancellationToken: ct));

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
