using Microsoft.Extensions.Options;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Review;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Worker.PhotoCenter;
using PhotoReceipt.Worker.Receipts;

namespace PhotoReceipt.Worker.Orders;

/// <summary>
/// Applies a center's decision (console, simulator or callback alike): the order's compare-and-set,
/// the decision row, the image number (the center's, else ours), the outbox notice and, on approval,
/// the receipt's issue job, in one transaction.
/// </summary>
public sealed class DecisionApplier(ReviewStore reviews, JobQueue jobs, IOptions<PhotoCenterOptions> options)
{
    /// <param name="staffId">The reviewer deciding in the console (who must hold, or be able to take, the claim); null for a center's decision.</param>
    public Task<DecisionOutcome> ApplyAsync(CenterDecision decision, Guid? staffId, CancellationToken ct) =>
        reviews.ApplyAsync(decision, staffId, TimeSpan.FromMinutes(options.Value.ClaimLeaseMinutes), ImageNumberGenerator.Generate,
            (conn, tx) => jobs.EnqueueIssueAsync(conn, tx, decision.OrderId, ct), ct);
}
