using Microsoft.Extensions.Logging;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Review;
using PhotoReceipt.Worker.Jobs;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Data.Orders;

namespace PhotoReceipt.Worker.Orders;

/// <summary>
/// submitted → approved | rejected from a decision the center delivered (simulator, HTTP callback).
/// A decision that finds the order already decided, or about an earlier attempt, is recorded in the
/// log and dropped: it must not be retried into a different photo's review.
/// </summary>
public sealed class DecideOrderJob(OrderLifecycle lifecycle, ReviewStore reviews, ILogger<DecideOrderJob> logger) : IJobHandler
{
    public string Kind => JobKinds.DecideOrder.Name;

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var decision = job.PayloadAs(JobKinds.DecideOrder);
        var outcome = await lifecycle.DecideAsync(decision, null, cancellationToken);
        if (outcome == DecisionOutcome.ImageNumberTaken)
        {
            // Checked when the callback came in; this is the race where another order took the number meanwhile.
            await reviews.RecordImageNumberConflictAsync(decision.OrderId, decision.Attempt, decision.ImageNumber!, "decide job", cancellationToken);
            logger.LogWarning("Decision for order {OrderId} attempt {Attempt} not applied: image number {ImageNumber} belongs to another order",
                decision.OrderId, decision.Attempt, decision.ImageNumber);
        }
        else if (outcome == DecisionOutcome.Applied)
            logger.LogInformation("Order {OrderId} attempt {Attempt} {Decision} by {By}", decision.OrderId, decision.Attempt,
                decision.Approved ? "approved" : "rejected", decision.DecidedBy);
        else
            logger.LogWarning("Decision for order {OrderId} attempt {Attempt} dropped: {Outcome}", decision.OrderId, decision.Attempt, outcome);
    }
}
