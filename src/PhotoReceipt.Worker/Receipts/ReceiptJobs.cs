using Npgsql;
using PhotoReceipt.Data.Jobs;

namespace PhotoReceipt.Worker.Receipts;

/// <summary>The job kinds that deliver an approved order and look after it until its data is deleted.</summary>
public static class ReceiptJobs
{
    /// <summary>Renders and stores the receipt (or records the e-photo) of an approved order; enqueued with the approval.</summary>
    public const string Issue = "receipt.issue";

    /// <summary>Reports a paid order's virtual delivery to WeChat (upload_shipping_info); enqueued with the receipt.</summary>
    public const string ReportDelivery = "order.report_delivery";

    /// <summary>Hourly: expiry, the reminder before it, deletion after the retention period.</summary>
    public const string Validity = "receipt.validity";

    public sealed record Payload(Guid OrderId);

    /// <summary>One issue job per order: an order is approved at most once.</summary>
    public static Task<long?> EnqueueIssueAsync(this JobQueue jobs, NpgsqlConnection conn, NpgsqlTransaction tx, Guid orderId, CancellationToken ct) =>
        jobs.EnqueueAsync(conn, tx, Issue, new Payload(orderId), dedupeKey: $"{Issue}:{orderId}", ct: ct);

    public static Task<long?> EnqueueReportDeliveryAsync(this JobQueue jobs, NpgsqlConnection conn, NpgsqlTransaction tx, Guid orderId, CancellationToken ct) =>
        jobs.EnqueueAsync(conn, tx, ReportDelivery, new Payload(orderId), dedupeKey: $"{ReportDelivery}:{orderId}", ct: ct);
}
