using Microsoft.Extensions.Logging;
using PhotoReceipt.Core.Blobs;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Jobs;
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
/// When the job dies (the pipeline threw on every attempt, or the worker died on the last one) the
/// photo fails too, with a report that asks for a new upload: the phone polls until the photo ends.
/// </summary>
public sealed class ProcessPhotoJob(PhotoStore photos, IBlobStore blobs, IPhotoPipeline pipeline, ProductCatalog catalog,
    ILogger<ProcessPhotoJob> logger) : IJobHandler
{
    public string Kind => JobKinds.ProcessPhoto.Name;

    /// <summary>The report of a photo whose processing gave up: one failed check the mini-program shows as it shows any other.</summary>
    public static readonly CheckReport GaveUp = new(
        [new Check("processing", CheckStatus.Fail, null, null, "照片处理失败，请重新上传一张照片")]);

    public async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var photoId = job.PayloadAs(JobKinds.ProcessPhoto).PhotoId;
        var photo = await photos.FindAsync(photoId, cancellationToken);
        if (photo is null || photo.Status != PhotoStatus.Processing || photo.SourceKey is null) return;

        var spec = catalog.FindSpec(photo.SpecId)
            ?? throw new InvalidOperationException($"Photo {photoId} refers to spec '{photo.SpecId}', which the catalog no longer has.");
        var source = await blobs.ReadAllBytesAsync(photo.SourceKey, cancellationToken, photo.SourceBytes)
            ?? throw new InvalidOperationException($"Photo {photoId}: the uploaded file {photo.SourceKey} is missing from the blob store.");

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

    public async Task OnDeadAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var photoId = job.PayloadAs(JobKinds.ProcessPhoto).PhotoId;
        if (await photos.FinishAsync(photoId, PhotoStatus.Failed, null, null, CheckReportJson.Serialize(GaveUp), false, cancellationToken))
            logger.LogWarning("Photo {PhotoId} failed: its processing job is dead", photoId);
    }
}
