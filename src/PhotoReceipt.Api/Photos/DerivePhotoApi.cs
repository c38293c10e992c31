using Microsoft.AspNetCore.Http.HttpResults;
using PhotoReceipt.Api.Consents;
using PhotoReceipt.Api.Platform;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Data.Consents;
using PhotoReceipt.Data.Photos;

namespace PhotoReceipt.Api.Photos;

/// <summary>
/// "用这张照片再办一个回执": a processed photo standardized again for another product (another
/// document, city or background) from the same upload. The new photo has its own id and report
/// and is read with GET /photos/{id} like any other.
/// </summary>
public static class DerivePhotoApi
{
    public static RouteGroupBuilder MapPhotoDerivation(this RouteGroupBuilder api)
    {
        api.MapPost("/photos/{id:guid}/derive", DeriveAsync).WithTags("Photos").WithName("DerivePhoto")
            .WithSummary("Standardize a processed photo for another product (or background) without uploading again; processing is queued")
            .RequireRateLimiting(RateLimits.Upload);
        return api;
    }

    internal static async Task<Results<Accepted<PhotoAccepted>, ValidationProblem, ForbiddenProblem, NotFoundProblem, ConflictProblem, GoneProblem>> DeriveAsync(
        Guid id, string? productId, string? background, CurrentUser user, ProductCatalog catalog, PhotoStore photos,
        PhotoDerivations derivations, ConsentStore consents, CancellationToken ct)
    {
        var userId = user.Id;
        if (await ConsentsApi.FacePhotoConsentMissingAsync(consents, userId, ct) is { } noConsent) return noConsent;
        var (product, invalid) = ProductChoice.Resolve(catalog, productId, background);
        if (product is null) return invalid!;

        var from = await photos.FindForUserAsync(id, userId, ct);
        if (from is null) return new NotFoundProblem("找不到", "找不到这张照片，请重新上传");
        if (from.Status == PhotoStatus.Processing)
            return new ConflictProblem("照片处理中", "照片还在处理中，请稍候再试");

        var photoId = Guid.CreateVersion7();
        var photo = new NewPhoto(photoId, userId, product.Id, product.SpecId, background, $"uploads/{photoId:N}/source", from.SourceFormat, from.SourceBytes);
        if (!await derivations.DeriveAsync(from, photo, ct))
            return new GoneProblem("原照片已删除", "原始照片已删除，请重新上传照片");
        return TypedResults.Accepted($"/api/v1/photos/{photoId}", new PhotoAccepted(photoId, PhotoStatus.Processing));
    }
}
