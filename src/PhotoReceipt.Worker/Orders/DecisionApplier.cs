using Microsoft.Extensions.Options;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Data.Review;
using PhotoReceipt.Imaging.Receipts;
using PhotoReceipt.Worker.PhotoCenter;

namespace PhotoReceipt.Worker.Orders;

/// <summary>
/// Applies a center's decision (console, simulator or callback alike): the order's compare-and-set,
/// the decision row, the image number (the center's, else ours) and the outbox notice, in one transaction.
/// </summary>
public sealed class DecisionApplier(ReviewStore reviews, IOptions<PhotoCenterOptions> options)
{
    /// <param name="staffId">The reviewer deciding in the console (who must hold, or be able to take, the claim); null for a center's decision.</param>
    public Task<DecisionOutcome> ApplyAsync(CenterDecision decision, Guid? staffId, CancellationToken ct) =>
        reviews.ApplyAsync(decision, staffId, TimeSpan.FromMinutes(options.Value.ClaimLeaseMinutes), ImageNumberGenerator.Generate, ct);
}
