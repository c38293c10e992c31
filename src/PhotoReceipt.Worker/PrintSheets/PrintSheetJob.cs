using Microsoft.Extensions.Logging;
using NetVips;
using PhotoReceipt.Core.Blobs;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Jobs;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Photos;
using PhotoReceipt.Receipts.PrintSheets;
using PhotoReceipt.Worker.Jobs;

namespace PhotoReceipt.Worker.PrintSheets;

/// <summary>
/// Lays out a usable photo on a 6-inch print sheet (enqueued with the photo's outcome). Re-running it
/// for a photo that has its sheet, or was deleted, does nothing.
/// </summary>
public sealed class PrintSheetJob(PrintSheetStore sheets, IBlobStore blobs, ProductCatalog catalog, ILogger<PrintSheetJob> logger) : IJobHandler
{
    public string Kind => JobKinds.RenderPrintSheet.Name;

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var photoId = job.PayloadAs(JobKinds.RenderPrintSheet).PhotoId;
        if (await sheets.PendingAsync(photoId, cancellationToken) is not var (resultKey, specId)) return;
        var spec = catalog.FindSpec(specId)
            ?? throw new InvalidOperationException($"Photo {photoId} refers to spec '{specId}', which the catalog no longer has.");
        // Deleted since the query: nothing to lay out.
        if (await blobs.ReadAllBytesAsync(resultKey, cancellationToken) is not { } photo) return;

        PrintSheet sheet;
        try
        {
            sheet = PrintSheetRenderer.Render(photo, spec);
        }
        catch (VipsException ex)
        {
            // The stored photo is what the pipeline wrote; if libvips cannot read it, a retry cannot either.
            logger.LogWarning(ex, "Photo {PhotoId}: no print sheet, the standardized photo could not be read", photoId);
            return;
        }
        var key = $"photos/{photoId:N}/print-sheet.jpg";
        await blobs.PutAsync(key, new MemoryStream(sheet.Jpeg), cancellationToken);
        if (!await sheets.SetAsync(photoId, key, cancellationToken))
            await blobs.DeleteAsync(key, CancellationToken.None);
        else
            logger.LogInformation("Photo {PhotoId}: print sheet with {Copies} copies of {Spec}", photoId, sheet.Layout.Count, spec.Id);
    }
}
