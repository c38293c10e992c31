using Microsoft.Extensions.Logging;
using PhotoReceipt.Core.Blobs;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Core.Telemetry;
using PhotoReceipt.Data.Jobs;
using PhotoReceipt.Data.Photos;
using PhotoReceipt.Worker.Jobs;

namespace PhotoReceipt.Worker.Photos;

/// <summary>
/// Standardizes an uploaded photo: runs the pipeline, stores the e-photo, the reviewer preview and
/// the check report, and marks the photo processed (a photo came out; the report says whether it
/// is usable) or failed (no photo could be made). Re-running it for a finished photo does nothing.
/// </summary>
public sealed class ProcessPhotoJob(PhotoStore photos, IBlobStore blobs, IPhotoPipeline pipeline, ProductCatalog catalog,
    ILogger<ProcessPhotoJob> logger) : IJobHandler
{
    public string Kind => PhotoStore.ProcessJob;

    public sealed record Payload(Guid PhotoId);

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var photoId = job.PayloadAs<Payload>().PhotoId;
        var photo = await photos.FindAsync(photoId, cancellationToken);
        if (photo is null || photo.Status != PhotoStatus.Processing || photo.SourceKey is null) return;

        var spec = catalog.FindSpec(photo.SpecId)
            ?? throw new InvalidOperationException($"Photo {photoId} refers to spec '{photo.SpecId}', which the catalog no longer has.");
        byte[] source;
        await using (var stream = await blobs.OpenReadAsync(photo.SourceKey, cancellationToken)
            ?? throw new InvalidOperationException($"Photo {photoId}: the uploaded file {photo.SourceKey} is missing from the blob store."))
        using (var buffer = new MemoryStream(checked((int)photo.SourceBytes)))
        {
            await stream.CopyToAsync(buffer, cancellationToken);
            source = buffer.ToArray();
        }

        var background = photo.Background is null ? null : catalog.ResolveBackground(photo.Background);
        var result = await pipeline.StandardizeAsync(new PhotoRequest(source, spec, background), cancellationToken);

        string? resultKey = null, previewKey = null;
        if (result.Jpeg is not null)
        {
            resultKey = $"photos/{photoId:N}/standard.jpg";
            await blobs.PutAsync(resultKey, new MemoryStream(result.Jpeg), cancellationToken);
        }
        if (result.Preview is not null)
        {
            previewKey = $"photos/{photoId:N}/review.png";
            await blobs.PutAsync(previewKey, new MemoryStream(result.Preview), cancellationToken);
        }
        var status = result.Jpeg is null ? PhotoStatus.Failed : PhotoStatus.Processed;
        await photos.FinishAsync(photoId, status, resultKey, previewKey, CheckReportJson.Serialize(result.Report), result.Report.Usable, cancellationToken);
        PhotoReceiptTelemetry.RecordPhotoVerdict(result.Report, photoMade: result.Jpeg is not null);
        logger.LogInformation("Photo {PhotoId} {Status} for spec {Spec}: usable={Usable}", photoId, status, spec.Id, result.Report.Usable);
    }
}
