using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Core.Telemetry;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Review;
using PhotoReceipt.Data.Staff;

namespace PhotoReceipt.Data.Orders;

/// <summary>A staff member acting on an order: the timeline's actor and the audit log's who.</summary>
public sealed record StaffActor(Guid StaffId, string Name)
{
    public string Actor => $"staff:{Name}";
}

/// <summary>
/// Every move of an order through its lifecycle (DESIGN.md §2), and the only code that makes one.
/// Each method is one transaction that checks the move against <see cref="OrderStatus"/>'s state
/// machine and commits the compare-and-set, the timeline event, the outbox notice and the job that
/// carries the order on, together: a queued order always has its submission job, an approved one its
/// receipt job, a cancelled paid one its refund. The API and the worker both call it.
/// </summary>
public sealed partial class OrderLifecycle(NpgsqlDataSource db, JobQueue jobs, IOptions<PhotoCenterOptions> centerOptions,
    ILogger<OrderLifecycle> logger)
{
    /// <summary>
    /// created → awaiting_payment, or → queued with its submission job for a free product. Inserts the
    /// order unless the user already made one with this Idempotency-Key; either way returns the order
    /// that holds the key and whether this call created it. Safe under any number of concurrent calls
    /// with the same key: the unique constraint picks one winner. A guardian's consent is part of the
    /// order: both commit, or neither.
    /// </summary>
    public async Task<(OrderRow Order, bool Created)> CreateAsync(NewOrder order, NewGuardianConsent? guardian, CancellationToken ct)
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
        if (order.InitialStatus != OrderStatus.Created) Check(OrderStatus.Created, order.InitialStatus);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var id = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(insert, order, tx, cancellationToken: ct));
            if (id is not null)
            {
                await AddEventAsync(conn, tx, order.Id, null, OrderStatus.Created, "user", null, ct);
                if (guardian is not null) await GuardianConsentStore.AddAsync(conn, tx, order.Id, guardian, ct);
                if (order.InitialStatus != OrderStatus.Created)
                    await AddEventAsync(conn, tx, order.Id, OrderStatus.Created, order.InitialStatus, "system",
                        order.PriceFen == 0 ? "免费产品，无需支付" : null, ct);
                if (order.InitialStatus == OrderStatus.Queued) await EnqueueSubmitAsync(conn, tx, order.Id, ct);
                await tx.CommitAsync(ct);
                return (await OrderStore.FindAsync(conn, order.Id, ct), true);
            }
        }
        // Lost the race (or a retry): the winner's row is committed, since ON CONFLICT waited for it.
        var existing = await conn.QuerySingleAsync<OrderRow>(new CommandDefinition(
            $"SELECT {OrderStore.Columns} FROM orders WHERE user_id = @UserId AND idempotency_key = @IdempotencyKey",
            new { order.UserId, order.IdempotencyKey }, cancellationToken: ct));
        return (existing, false);
    }

    /// <summary>
    /// awaiting_payment → queued with its submission job, from a WeChat Pay transaction (a notice or an
    /// order query). The order row is locked and the change is made only when it is not yet paid and the
    /// amount matches, so a duplicated or forged notice changes nothing; money for an order cancelled
    /// meanwhile is recorded and its refund queued. Null for a transaction that is not a success.
    /// </summary>
    public async Task<PaymentOutcome?> PayAsync(PayTransaction transaction, CancellationToken ct)
    {
        if (transaction.TradeState != "SUCCESS" || transaction.TransactionId is null || transaction.TotalFen is null) return null;
        var (outcome, orderId) = await ApplyPaymentAsync(transaction.OutTradeNo, transaction.TransactionId, transaction.TotalFen.Value, ct);
        PhotoReceiptTelemetry.Payments.Add(1, new KeyValuePair<string, object?>("payment.outcome", PhotoReceiptTelemetry.Tag(outcome)));
        if (outcome is PaymentOutcome.AmountMismatch or PaymentOutcome.NotFound)
            logger.LogError("Payment {TransactionId} for {OrderNo} refused: {Outcome} (amount {Amount} fen)",
                transaction.TransactionId, transaction.OutTradeNo, outcome, transaction.TotalFen);
        else
            logger.LogInformation("Payment {TransactionId} for order {OrderId}: {Outcome}", transaction.TransactionId, orderId, outcome);
        return outcome;
    }

    private async Task<(PaymentOutcome Outcome, Guid? OrderId)> ApplyPaymentAsync(string orderNo, string transactionId, int amountFen, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var order = await conn.QuerySingleOrDefaultAsync<(Guid Id, string Status, int PriceFen, string? TransactionId)>(new CommandDefinition(
            "SELECT id, status, price_fen, transaction_id FROM orders WHERE order_no = @orderNo FOR UPDATE",
            new { orderNo }, tx, cancellationToken: ct));
        if (order.Id == Guid.Empty) return (PaymentOutcome.NotFound, null);
        if (order.TransactionId is not null) return (PaymentOutcome.AlreadyApplied, order.Id);
        if (amountFen != order.PriceFen) return (PaymentOutcome.AmountMismatch, order.Id);

        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE orders SET paid_at = now(), paid_fen = @amountFen, transaction_id = @transactionId, updated_at = now() WHERE id = @id",
            new { id = order.Id, amountFen, transactionId }, tx, cancellationToken: ct));
        PaymentOutcome outcome;
        if (await MoveAsync(conn, tx, order.Id, [OrderStatus.AwaitingPayment], OrderStatus.Queued, "wechat", "支付成功", ct) is not null)
        {
            await EnqueueSubmitAsync(conn, tx, order.Id, ct);
            outcome = PaymentOutcome.Applied;
        }
        else
        {
            // Paid for an order that is no longer waiting (cancelled in the meantime): keep the money's
            // trace and give it back.
            await AddEventAsync(conn, tx, order.Id, order.Status, order.Status, "wechat", "订单已取消后收到付款，将原路退款", ct);
            await EnqueueRefundAsync(conn, tx, order.Id, ct);
            outcome = PaymentOutcome.PaidAfterCancel;
        }
        await tx.CommitAsync(ct);
        return (outcome, order.Id);
    }

    /// <summary>
    /// → cancelled, for an order that has not gone to the photo center yet, for the user (<paramref name="staff"/>
    /// null) or for support (with its audit row). A paid order's refund is queued in the same transaction, so
    /// neither happens without the other. Returns the status it was cancelled from, or null when it could no
    /// longer be cancelled.
    /// </summary>
    public async Task<string?> CancelAsync(Guid id, StaffActor? staff, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var moved = await MoveAsync(conn, tx, id, OrderStatus.Cancellable, OrderStatus.Cancelled, staff?.Actor ?? "user",
            staff is null ? "用户取消" : "客服取消", ct);
        if (moved is null) return null;
        var paid = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT transaction_id IS NOT NULL FROM orders WHERE id = @id", new { id }, tx, cancellationToken: ct));
        if (paid) await EnqueueRefundAsync(conn, tx, id, ct);
        if (staff is not null) await AuditLog.WriteAsync(conn, tx, staff.StaffId, staff.Name, "cancel_order", $"order:{id}", ct);
        await tx.CommitAsync(ct);
        return moved;
    }

    /// <summary>
    /// created / awaiting_payment → cancelled for the unpaid orders holding one of <paramref name="photoIds"/>,
    /// inside the caller's transaction (a withdrawn face-photo consent deletes those photos in the same
    /// one). Nothing was paid, so nothing is refunded. Returns how many orders it cancelled.
    /// </summary>
    public static async Task<int> CancelUnpaidHoldingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyCollection<Guid> photoIds,
        string note, CancellationToken ct)
    {
        string[] unpaid = [OrderStatus.Created, OrderStatus.AwaitingPayment];
        var orderIds = await conn.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM orders WHERE photo_id = ANY(@photoIds) AND status = ANY(@unpaid)",
            new { photoIds = photoIds.ToArray(), unpaid }, tx, cancellationToken: ct));
        var cancelled = 0;
        foreach (var orderId in orderIds)
            if (await MoveAsync(conn, tx, orderId, unpaid, OrderStatus.Cancelled, "user", note, ct) is not null) cancelled++;
        return cancelled;
    }

    /// <summary>
    /// rejected → queued with a new photo and its submission job, without paying again. False when the
    /// order was no longer rejected.
    /// </summary>
    public async Task<bool> RetakeAsync(Guid id, Guid photoId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await MoveAsync(conn, tx, id, [OrderStatus.Rejected], OrderStatus.Queued, "user", "重新拍摄，免费重新提交审核", ct) is null) return false;
        await conn.ExecuteAsync(new CommandDefinition("UPDATE orders SET photo_id = @photoId WHERE id = @id", new { id, photoId }, tx, cancellationToken: ct));
        await EnqueueSubmitAsync(conn, tx, id, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Records WeChat's refund state; SUCCESS moves the order (cancelled, rejected or failed) to refunded,
    /// once. False for a refund number that is not ours.
    /// </summary>
    public async Task<bool> RecordRefundAsync(string refundNo, string wechatStatus, CancellationToken ct)
    {
        var status = wechatStatus.ToUpperInvariant() switch
        {
            "SUCCESS" => "succeeded",
            "CLOSED" => "closed",
            "ABNORMAL" => "abnormal",
            _ => "processing",
        };
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition("""
            UPDATE orders SET refund_status = @status, refunded_at = CASE WHEN @status = 'succeeded' THEN now() ELSE refunded_at END, updated_at = now()
            WHERE refund_no = @refundNo RETURNING id
            """, new { refundNo, status }, tx, cancellationToken: ct));
        if (id is null) return false;
        if (status == "succeeded")
            await MoveAsync(conn, tx, id.Value, [OrderStatus.Cancelled, OrderStatus.Rejected, OrderStatus.Failed],
                OrderStatus.Refunded, "wechat", "退款成功，款项原路退回", ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Support's "try again" for a dead job of this order (or its photo). A dead submission left the order
    /// failed, so failed → queued commits with the requeued job and the audit row. False when the job is
    /// not dead or not the order's.
    /// </summary>
    public async Task<bool> RequeueDeadJobAsync(Guid orderId, Guid photoId, long jobId, StaffActor staff, CancellationToken ct)
    {
        // Only a job of this order (or its photo) may be requeued from this order's page.
        const string mine = """
            SELECT id FROM jobs WHERE id = @jobId AND (payload->>'orderId' = @order OR payload->>'photoId' = @photo) FOR UPDATE
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (await conn.ExecuteScalarAsync<long?>(new CommandDefinition(mine,
                new { jobId, order = orderId.ToString(), photo = photoId.ToString() }, tx, cancellationToken: ct)) is null)
            return false;
        var kind = await jobs.RequeueDeadAsync(conn, tx, jobId, ct);
        if (kind is null) return false;
        if (kind == JobKinds.SubmitOrder.Name)
            await MoveAsync(conn, tx, orderId, [OrderStatus.Failed], OrderStatus.Queued, staff.Actor, "客服重新提交", ct);
        await AuditLog.WriteAsync(conn, tx, staff.StaffId, staff.Name, "requeue_job", $"job:{jobId}", ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// The compare-and-set every move goes through: moves the order to <paramref name="to"/> only if it is in
    /// one of <paramref name="from"/> (each checked against the state machine first), and records the event.
    /// Returns the status it moved from, or null when it was in none of them (someone else moved it first).
    /// </summary>
    private static async Task<string?> MoveAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, IReadOnlyCollection<string> from,
        string to, string actor, string? note, CancellationToken ct)
    {
        foreach (var f in from) Check(f, to);
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

    private static void Check(string from, string to)
    {
        if (!OrderStatus.CanMove(from, to)) throw new InvalidOperationException($"The order lifecycle has no move {from} → {to}.");
    }

    /// <summary>A timeline entry; one with from = to is a note on the order's own status (a receipt issued, a refund due).</summary>
    private static Task AddEventAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid orderId, string? from, string to, string actor, string? note,
        CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO order_events (order_id, from_status, to_status, actor, note) VALUES (@orderId, @from, @to, @actor, @note)",
            new { orderId, from, to, actor, note }, tx, cancellationToken: ct));

    /// <summary>
    /// Every move into queued enqueues the submission. The dedupe key names the attempt the job will submit
    /// (one more than the submissions so far), so a retried request cannot queue the same submission twice,
    /// while each retake queues its own.
    /// </summary>
    private async Task EnqueueSubmitAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid orderId, CancellationToken ct)
    {
        var attempt = await conn.ExecuteScalarAsync<int>(new CommandDefinition(ReviewStore.NextAttemptSql, new { orderId }, tx, cancellationToken: ct));
        await jobs.EnqueueAsync(conn, tx, JobKinds.SubmitOrder, new SubmitPayload(orderId, attempt), JobKinds.SubmitOrder.Key(orderId, attempt), ct: ct);
    }

    /// <summary>One refund job per order: its refund number is fixed, so WeChat never refunds twice.</summary>
    private Task EnqueueRefundAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid orderId, CancellationToken ct) =>
        jobs.EnqueueAsync(conn, tx, JobKinds.RefundOrder, new OrderPayload(orderId), JobKinds.RefundOrder.Key(orderId), ct: ct);
}
