using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.Blobs;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Photos;
using PhotoReceipt.Data.Receipts;
using PhotoReceipt.Receipts;
using PhotoReceipt.Worker.Jobs;

namespace PhotoReceipt.Worker.Receipts;

/// <summary>
/// Issues what an approved order delivers: for a product with a receipt style, the phone image and
/// the printable PDF rendered from the approved (standardized) photo; for a photo-only product, the
/// e-photo alone. Blobs are written first under fixed keys, then the row: a retried job renders
/// again and overwrites the same blobs, and the row's primary key keeps it to one receipt. A paid
/// order's delivery report is enqueued with the row.
/// </summary>
public sealed class IssueReceiptJob(
    OrderStore orders, PhotoStore photos, ReceiptStore receipts, OrderLifecycle lifecycle, IBlobStore blobs, ProductCatalog catalog,
    ReceiptLayouts layouts, IOptions<ReceiptOptions> options, TimeProvider clock, ILogger<IssueReceiptJob> logger) : IJobHandler
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public string Kind => JobKinds.IssueReceipt.Name;

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var orderId = job.PayloadAs(JobKinds.IssueReceipt).OrderId;
        if (await receipts.FindAsync(orderId, cancellationToken) is not null) return;
        var order = await orders.FindAsync(orderId, cancellationToken)
            ?? throw new InvalidOperationException($"Order {orderId} does not exist.");
        if (order.Status != OrderStatus.Approved || order.ImageNumber is null)
        {
            logger.LogWarning("Order {OrderId} is {Status}, not approved with an image number: no receipt issued", orderId, order.Status);
            return;
        }
        var product = catalog.FindProduct(order.ProductId)
            ?? throw new InvalidOperationException($"Order {orderId} refers to product '{order.ProductId}', which the catalog no longer has.");
        var spec = catalog.SpecOf(product);
        var photo = await photos.FindAsync(order.PhotoId, cancellationToken);
        var photoKey = photo?.ResultKey ?? throw new InvalidOperationException($"Order {orderId}: photo {order.PhotoId} has no standardized image.");

        var issueDate = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ChinaOffset).DateTime);
        var validUntil = issueDate.AddDays(product.ValidityDays);
        string? pngKey = null, pdfKey = null;
        if (product.ReceiptStyle is { } styleId)
        {
            var style = catalog.FindStyle(styleId) ?? throw new InvalidOperationException($"Receipt style '{styleId}' is not in the catalog.");
            var content = new ReceiptContent
            {
                StyleId = styleId,
                Title = style.Title,
                PhotoJpeg = await blobs.ReadAllBytesAsync(photoKey, cancellationToken)
                    ?? throw new InvalidOperationException($"The standardized photo {photoKey} is missing from the blob store."),
                PhotoWidthMm = spec.PrintWidthMm,
                PhotoHeightMm = spec.PrintHeightMm,
                ImageNumber = order.ImageNumber,
                DocumentTypeName = DocumentTypeNames.For(product, spec),
                IssueDate = issueDate,
                ValidUntil = validUntil,
                CollectionPointName = options.Value.CollectionPointName,
                CollectionPointCode = options.Value.CollectionPointCode,
                MaskedApplicantName = order.ApplicantNameMasked ?? "",
            };
            var layout = layouts.For(styleId);
            pngKey = $"receipts/{orderId:N}/receipt.png";
            pdfKey = $"receipts/{orderId:N}/receipt.pdf";
            await blobs.PutAsync(pngKey, new MemoryStream(ReceiptPngRenderer.Render(content, layout, options.Value.ImageDpi)), cancellationToken);
            await blobs.PutAsync(pdfKey, new MemoryStream(ReceiptPdfRenderer.Render(content, layout)), cancellationToken);
        }

        var recorded = await lifecycle.IssueAsync(new NewReceipt(orderId, product.ReceiptStyle, order.ImageNumber, validUntil, pngKey, pdfKey, photoKey),
            cancellationToken);
        logger.LogInformation("Order {OrderId}: {What} valid until {ValidUntil}{Again}", orderId,
            product.ReceiptStyle is null ? "e-photo" : $"receipt {product.ReceiptStyle}", validUntil, recorded ? "" : " (already recorded)");
    }
}
