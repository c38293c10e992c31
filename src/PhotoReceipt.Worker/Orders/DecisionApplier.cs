using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Data.Review;
using PhotoReceipt.Imaging.Receipts;

namespace PhotoReceipt.Worker.Orders;

/// <summary>
/// Applies a center's decision (console, simulator or callback alike): the order's compare-and-set,
/// the decision row, the image number (the center's, else ours) and the outbox notice, in one transaction.
/// </summary>
public sealed class DecisionApplier(ReviewStore reviews)
{
    public Task<DecisionOutcome> ApplyAsync(CenterDecision decision, Guid? staffId, CancellationToken ct) =>
        reviews.ApplyAsync(decision, staffId, ImageNumberGenerator.Generate, ct);
}
