using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.Blobs;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Receipts;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Data.Orders;

namespace PhotoReceipt.Worker.Receipts;

/// <summary>
/// Hourly: expires receipts past their last valid day, writes the reminder notice three days
/// before, and Retention:DaysAfterExpiry days after expiry deletes the photos and receipt files and
/// clears the order's personal data. Blobs go first and the rows are marked after: a run that dies
/// in between deletes the (already missing) blobs again next hour and then marks the rows.
/// </summary>
public sealed class ReceiptValidityJob(ReceiptRetention retention, OrderLifecycle lifecycle, IBlobStore blobs, IOptions<RetentionOptions> options,
    ILogger<ReceiptValidityJob> logger) : IJobHandler
{
    private const int Batch = 200;

    public string Kind => JobKinds.ReceiptValidity.Name;

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var expired = 0;
        int n;
        do
        {
            n = await lifecycle.ExpireDueAsync(Batch, cancellationToken);
            expired += n;
        }
        while (n == Batch);

        var reminded = await retention.WriteRemindersAsync(cancellationToken);

        var purged = 0;
        IReadOnlyList<PurgeCandidate> due;
        do
        {
            due = await retention.DueForPurgeAsync(options.Value.DaysAfterExpiry, Batch, cancellationToken);
            foreach (var candidate in due)
            {
                foreach (var key in candidate.BlobKeys) await blobs.DeleteAsync(key, cancellationToken);
                if (await retention.MarkPurgedAsync(candidate.OrderId, cancellationToken)) purged++;
            }
        }
        while (due.Count == Batch);

        logger.LogInformation("Receipt validity: {Expired} expired, {Reminded} reminders written, {Purged} orders purged", expired, reminded, purged);
    }
}
