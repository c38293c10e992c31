using Dapper;
using Npgsql;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Core.Notices;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Data.Notices;
using PhotoReceipt.Data.Receipts;
using PhotoReceipt.Data.Review;

namespace PhotoReceipt.Data.Orders;

/// <summary>The moves from the queue through the photo center to the receipt and its expiry.</summary>
public sealed partial class OrderLifecycle
{
    /// <summary>
    /// queued → submitted with the submission row and, when the center decided already (the simulator),
    /// its decision job due after the center's delay. False when the order was no longer queued
    /// (cancelled meanwhile, or a duplicate run).
    /// </summary>
    public async Task<bool> SubmitAsync(SubmissionRow submission, CenterAcceptance acceptance, CancellationToken ct)
    {
        const string insert = """
            INSERT INTO center_submissions (order_id, attempt, photo_id, center, center_ref)
            VALUES (@OrderId, @Attempt, @PhotoId, @Center, @CenterRef)
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var moved = await MoveAsync(conn, tx, submission.OrderId, [OrderStatus.Queued], OrderStatus.Submitted, "worker",
            submission.Center == Centers.ReviewDesk ? "已提交审核" : "已提交照片审核中心", ct);
        if (moved is null) return false;
        await conn.ExecuteAsync(new CommandDefinition(insert, submission, tx, cancellationToken: ct));
        if (acceptance.Scheduled is { } scheduled)
            await jobs.EnqueueAsync(conn, tx, JobKinds.DecideOrder, scheduled, JobKinds.DecideOrder.Key(submission.OrderId, submission.Attempt),
                acceptance.DecideAfter, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>queued → failed when submitting ran out of attempts; support can requeue it from the order's page.</summary>
    public async Task<bool> FailSubmissionAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await MoveAsync(conn, tx, id, [OrderStatus.Queued], OrderStatus.Failed, "worker", "提交审核多次失败，等待客服处理", ct) is null) return false;
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// submitted → approved | rejected, once, from a center's decision (console, simulator or callback alike):
    /// the compare-and-set, the decision row, the image number (the center's, else a new one of ours), the
    /// outbox notice and, on approval, the receipt's issue job.
    /// </summary>
    /// <remarks>
    /// A reviewer's decision (<paramref name="staffId"/> set) claims the order first, in the same
    /// transaction: a rival reviewer's claim blocks on it until this commits, finds the claim gone and the
    /// order decided, and is told "already decided". Our own image number clashing on the unique constraint
    /// (2⁻⁷⁵) fails the transaction; the caller's retry draws again.
    /// </remarks>
    public async Task<DecisionOutcome> DecideAsync(CenterDecision decision, Guid? staffId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (staffId is not null)
        {
            var claimed = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(ReviewStore.ClaimSql,
                new { orderId = decision.OrderId, staffId, seconds = TimeSpan.FromMinutes(centerOptions.Value.ClaimLeaseMinutes).TotalSeconds },
                tx, cancellationToken: ct));
            if (claimed is null) return DecisionOutcome.ClaimedByOther;
        }
        var to = decision.Approved ? OrderStatus.Approved : OrderStatus.Rejected;
        // The CAS takes the order's row lock, so the attempt read below cannot change under us
        // (a new submission needs the same row in queued).
        var moved = await MoveAsync(conn, tx, decision.OrderId, [OrderStatus.Submitted], to, decision.DecidedBy,
            decision.Approved ? "照片审核通过" : "照片审核未通过", ct);
        if (moved is null) return DecisionOutcome.AlreadyDecided;
        var attempt = await conn.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT max(attempt) FROM center_submissions WHERE order_id = @OrderId", decision, tx, cancellationToken: ct));
        if (attempt != decision.Attempt)
        {
            await tx.RollbackAsync(ct);
            return DecisionOutcome.StaleAttempt;
        }

        var imageNumber = decision.Approved ? decision.ImageNumber ?? ImageNumberGenerator.Generate() : null;
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
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && decision.ImageNumber is not null)
            {
                await tx.RollbackAsync(CancellationToken.None);
                return DecisionOutcome.ImageNumberTaken;
            }
        }
        if (decision.Approved)
        {
            await Outbox.WriteAsync(conn, tx, NoticeKinds.Approved, decision.OrderId,
                new { orderId = decision.OrderId, attempt = decision.Attempt, imageNumber }, ct);
            // One issue job per order: an order is approved at most once.
            await jobs.EnqueueAsync(conn, tx, JobKinds.IssueReceipt, new OrderPayload(decision.OrderId), JobKinds.IssueReceipt.Key(decision.OrderId), ct: ct);
        }
        else
        {
            await Outbox.WriteAsync(conn, tx, NoticeKinds.Rejected, decision.OrderId,
                new { orderId = decision.OrderId, attempt = decision.Attempt, reasonCodes = decision.ReasonCodes }, ct);
        }
        // Only a reviewer's decision touches the claim (its row is already locked by this transaction);
        // a center's decision leaves any stale claim to expire, so the two never lock in opposite orders.
        if (staffId is not null)
            await conn.ExecuteAsync(new CommandDefinition("DELETE FROM review_claims WHERE order_id = @OrderId", decision, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return DecisionOutcome.Applied;
    }

    /// <summary>
    /// Records an approved order's receipt (or e-photo) once: the row, a timeline note on the order's own
    /// status and, for a paid order, the delivery report to WeChat commit together. False when the order
    /// already has its receipt (a retried job).
    /// </summary>
    public async Task<bool> IssueAsync(NewReceipt receipt, CancellationToken ct)
    {
        const string insert = """
            INSERT INTO receipts (order_id, style, image_number, valid_until, png_key, pdf_key, photo_key)
            VALUES (@OrderId, @Style, @ImageNumber, @validUntil::date, @PngKey, @PdfKey, @PhotoKey)
            ON CONFLICT (order_id) DO NOTHING
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var inserted = await conn.ExecuteAsync(new CommandDefinition(insert, new
        {
            receipt.OrderId, receipt.Style, receipt.ImageNumber, validUntil = receipt.ValidUntil.ToDateTime(TimeOnly.MinValue),
            receipt.PngKey, receipt.PdfKey, receipt.PhotoKey,
        }, tx, cancellationToken: ct));
        if (inserted == 0) return false;
        var order = await conn.QuerySingleAsync<(string Status, bool Paid)>(new CommandDefinition(
            "SELECT status, paid_at IS NOT NULL FROM orders WHERE id = @OrderId FOR SHARE", receipt, tx, cancellationToken: ct));
        // Issuing is not a transition, but users see it happen on the timeline.
        await AddEventAsync(conn, tx, receipt.OrderId, order.Status, order.Status, "worker",
            receipt.Style is null ? "电子证件照已生成，可在订单页下载" : "照片回执已生成，可在订单页下载", ct);
        // Only a paid order has a WeChat Pay transaction to report delivery against.
        if (order.Paid)
            await jobs.EnqueueAsync(conn, tx, JobKinds.ReportDelivery, new OrderPayload(receipt.OrderId), JobKinds.ReportDelivery.Key(receipt.OrderId), ct: ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// approved → expired for orders whose receipt's last valid day has passed, stamping the receipt, one
    /// order per transaction. Returns how many.
    /// </summary>
    public async Task<int> ExpireDueAsync(int limit, CancellationToken ct)
    {
        const string due = $"""
            SELECT order_id FROM receipts
            WHERE expired_at IS NULL AND valid_until < {ReceiptRetention.TodayCn}
            ORDER BY valid_until LIMIT @limit
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var orderIds = (await conn.QueryAsync<Guid>(new CommandDefinition(due, new { limit }, cancellationToken: ct))).AsList();
        var expired = 0;
        foreach (var orderId in orderIds)
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            // Another replica may have stamped it since the scan: the stamp is the compare-and-set.
            var stamped = await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE receipts SET expired_at = now() WHERE order_id = @orderId AND expired_at IS NULL", new { orderId }, tx, cancellationToken: ct));
            if (stamped == 0) continue;
            await MoveAsync(conn, tx, orderId, [OrderStatus.Approved], OrderStatus.Expired, "system", "回执已过有效期", ct);
            await tx.CommitAsync(ct);
            expired++;
        }
        return expired;
    }
}
