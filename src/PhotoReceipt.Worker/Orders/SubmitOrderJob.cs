using Microsoft.Extensions.Logging;
using PhotoReceipt.Core.Blobs;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Photos;
using PhotoReceipt.Data.Review;
using PhotoReceipt.Worker.Jobs;

namespace PhotoReceipt.Worker.Orders;

/// <summary>
/// queued → submitted: hands the order's standardized photo to the photo center and records the
/// submission. Re-running it for an order that is no longer queued does nothing. When the last
/// attempt fails the order moves to failed, where support can requeue it.
/// </summary>
public sealed class SubmitOrderJob(OrderStore orders, PhotoStore photos, ReviewStore reviews, OrderLifecycle lifecycle, IBlobStore blobs,
    ProductCatalog catalog, IPhotoCenter center, ILogger<SubmitOrderJob> logger) : IJobHandler
{
    public string Kind => JobKinds.SubmitOrder.Name;

    public Task RunAsync(JobRecord job, CancellationToken cancellationToken) =>
        SubmitAsync(job.PayloadAs(JobKinds.SubmitOrder).OrderId, cancellationToken);

    /// <summary>The queue buried the submission; the order says so too, so support sees it and can requeue.</summary>
    public Task OnDeadAsync(JobRecord job, CancellationToken cancellationToken) =>
        lifecycle.FailSubmissionAsync(job.PayloadAs(JobKinds.SubmitOrder).OrderId, cancellationToken);

    private async Task SubmitAsync(Guid orderId, CancellationToken ct)
    {
        var order = await orders.FindAsync(orderId, ct);
        if (order is null || order.Status != OrderStatus.Queued)
        {
            logger.LogInformation("Order {OrderId} is {Status}, not queued; nothing to submit", orderId, order?.Status ?? "missing");
            return;
        }
        var photo = await photos.FindAsync(order.PhotoId, ct)
            ?? throw new InvalidOperationException($"Order {orderId} refers to photo {order.PhotoId}, which does not exist.");
        if (photo.ResultKey is null || photo.Report is null)
            throw new InvalidOperationException($"Order {orderId}: photo {photo.Id} has no standardized result to submit.");
        var product = catalog.FindProduct(order.ProductId)
            ?? throw new InvalidOperationException($"Order {orderId} refers to product '{order.ProductId}', which the catalog no longer has.");

        var jpeg = await blobs.ReadAllBytesAsync(photo.ResultKey, ct)
            ?? throw new InvalidOperationException($"Order {orderId}: the photo file {photo.ResultKey} is missing from the blob store.");

        // Stable across retries: the attempt only advances when a submission is recorded.
        var attempt = await reviews.NextAttemptAsync(orderId, ct);
        var acceptance = await center.SubmitAsync(new CenterSubmission(orderId, order.OrderNo, attempt, product.Id, product.DocumentType,
            product.SpecId, jpeg, CheckReportJson.Deserialize(photo.Report)), ct);
        var recorded = await lifecycle.SubmitAsync(new SubmissionRow(orderId, attempt, photo.Id, center.Name, acceptance.CenterRef, default),
            acceptance, ct);
        if (recorded) logger.LogInformation("Order {OrderId} submitted to {Center} (attempt {Attempt})", orderId, center.Name, attempt);
        else logger.LogWarning("Order {OrderId} left the queue while being submitted to {Center} (attempt {Attempt})", orderId, center.Name, attempt);
    }
}
