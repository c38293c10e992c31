using Dapper;
using Npgsql;
using PhotoReceipt.Data.Jobs;

namespace PhotoReceipt.Data.Review;

/// <summary>
/// The job kinds that carry an order through the photo center. Every move into queued must enqueue
/// <see cref="Submit"/> in the same transaction (creation of a free order, payment, retake), so a
/// queued order always has a job that will submit it.
/// </summary>
public static class OrderJobs
{
    /// <summary>queued → submitted: hands the order's photo to the photo center.</summary>
    public const string Submit = "order.submit";

    /// <summary>submitted → approved | rejected: applies a decision the center delivered (simulator, HTTP callback).</summary>
    public const string Decide = "order.decide";

    /// <summary>
    /// Enqueues the submission inside the caller's transaction. The dedupe key names the attempt
    /// the job will submit (one more than the submissions so far), so a retried request cannot queue
    /// the same submission twice, while each retake queues its own.
    /// </summary>
    public static async Task<long?> EnqueueSubmitAsync(this JobQueue jobs, NpgsqlConnection conn, NpgsqlTransaction tx, Guid orderId, CancellationToken ct)
    {
        var attempt = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT coalesce(max(attempt), 0) + 1 FROM center_submissions WHERE order_id = @orderId", new { orderId }, tx, cancellationToken: ct));
        return await jobs.EnqueueAsync(conn, tx, Submit, new { orderId, attempt }, dedupeKey: $"{Submit}:{orderId}:{attempt}", ct: ct);
    }

    /// <summary>Gives back what was paid for an order (one refund number per order, reused on retry).</summary>
    public const string Refund = "order.refund";

    public static Task<long?> EnqueueRefundAsync(this JobQueue jobs, NpgsqlConnection conn, NpgsqlTransaction tx, Guid orderId, CancellationToken ct) =>
        jobs.EnqueueAsync(conn, tx, Refund, new { orderId }, dedupeKey: $"{Refund}:{orderId}", ct: ct);

    /// <summary>The same, shaped for OrderStore's alsoInTransaction hook.</summary>
    public static Func<NpgsqlConnection, NpgsqlTransaction, Task> SubmitHook(this JobQueue jobs, Guid orderId, CancellationToken ct) =>
        (conn, tx) => jobs.EnqueueSubmitAsync(conn, tx, orderId, ct);
}
