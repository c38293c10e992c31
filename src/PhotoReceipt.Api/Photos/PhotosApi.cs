using System.ComponentModel.DataAnnotations;
using PhotoReceipt.Data.WeChat;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PhotoReceipt.Api.Consents;
using PhotoReceipt.Api.Files;
using PhotoReceipt.Data.Blobs;
using PhotoReceipt.Api.Platform;
using PhotoReceipt.Core.Blobs;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Data.Consents;
using PhotoReceipt.Data.Photos;
using PhotoReceipt.WeChat.Api;

namespace PhotoReceipt.Api.Photos;

public sealed class UploadOptions
{
    public const string Section = "Uploads";

    /// <summary>Largest photo accepted, in bytes (15 MB: a 50 MP phone JPEG fits).</summary>
    [Range(1024, 100L * 1024 * 1024)]
    public long MaxBytes { get; set; } = 15 * 1024 * 1024;
}

public sealed record PhotoAccepted(Guid Id, string Status);

public sealed record PhotoDto(Guid Id, string Status, string ProductId, string SpecId, string? Background,
    string SourceFormat, DateTime CreatedAt, DateTime? ProcessedAt, JsonElement? Report, string? PreviewUrl, string ContentCheck);

public static class PhotosApi
{
    public static RouteGroupBuilder MapPhotos(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/photos").WithTags("Photos");
        group.MapPost("/", UploadAsync).WithName("UploadPhoto").WithSummary("Upload a half-body photo (multipart field 'file'); processing is queued")
            .RequireRateLimiting(RateLimits.Upload).DisableAntiforgery()
            .WithBodyLimit(http => MaxBodyBytes(http.RequestServices.GetRequiredService<IOptions<UploadOptions>>().Value.MaxBytes))
            .Accepts<IFormFile>("multipart/form-data");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetPhoto").WithSummary("Processing status, check report and preview URL");
        return api;
    }

    /// <summary>What the photo handlers use, bound with [AsParameters].</summary>
    internal sealed record PhotoServices(ProductCatalog Catalog, IBlobStore Blobs, PhotoStore Photos, FileUrls Urls, MediaCheckStore MediaChecks,
        ConsentStore Consents, IOptions<UploadOptions> Options, ILogger<PhotoAccepted> Logger);

    internal static async Task<Results<Accepted<PhotoAccepted>, ValidationProblem, BadRequestProblem, ForbiddenProblem, TooLargeProblem, UnsupportedMediaTypeProblem>> UploadAsync(
        string? productId, string? background, CurrentUser user, [AsParameters] PhotoServices s, HttpContext http, CancellationToken ct)
    {
        var (catalog, blobs, photos, logger) = (s.Catalog, s.Blobs, s.Photos, s.Logger);
        // PIPL art. 29: no face photo is processed, or even stored, before its separate consent.
        if (await ConsentsApi.FacePhotoConsentMissingAsync(s.Consents, user.Id, ct) is { } noConsent) return noConsent;
        var (product, invalid) = ProductChoice.Resolve(catalog, productId, background);
        if (product is null) return invalid!;

        var limit = s.Options.Value.MaxBytes;

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Length is 0 or > 200)
            return new UnsupportedMediaTypeProblem("格式不支持", "请用 wx.uploadFile 以 multipart/form-data 上传照片（字段名 file）");

        var photoId = Guid.CreateVersion7();
        var key = $"uploads/{photoId:N}/source";
        var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value!, http.Request.Body)
        {
            HeadersLengthLimit = 16 * 1024,
        };
        UploadStream? upload = null;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFileDisposition() || !disposition.Name.Equals("file", StringComparison.Ordinal))
                {
                    // Other fields are not ours; drain them within the limit.
                    await new UploadStream(section.Body, limit).CopyToAsync(Stream.Null, ct);
                    continue;
                }
                upload = new UploadStream(section.Body, limit);
                await blobs.PutAsync(key, upload, ct);
                break;
            }
        }
        catch (UploadTooLargeException)
        {
            return TooLarge(limit);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == 413)
        {
            return TooLarge(limit);
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException or InvalidDataException)
        {
            // Truncated body, a client that hung up, or broken multipart framing: nothing was stored.
            logger.LogInformation("Upload aborted: {Reason}", ex.Message);
            return new BadRequestProblem("上传中断", "照片没有完整上传，请重试");
        }

        if (upload is null)
            return new BadRequestProblem("没有照片", "请选择要上传的照片（表单字段名 file）");
        if (upload.Length64 == 0)
        {
            await blobs.DeleteAsync(key, ct);
            return new BadRequestProblem("文件是空的", "上传的文件是空的，请重新选择照片");
        }
        var format = ImageSniffer.Detect(upload.Head);
        if (format is null)
        {
            await blobs.DeleteAsync(key, ct);
            return new UnsupportedMediaTypeProblem("不是照片", "这个文件不是照片，请上传 JPG、PNG、WebP 或 HEIC 格式的照片");
        }

        try
        {
            await photos.CreateAsync(new NewPhoto(photoId, user.Id, product.Id, product.SpecId, background, key, format, upload.Length64), ct);
        }
        catch
        {
            // No row points at the blob (the database is down, the request was cancelled): it must not stay behind.
            await blobs.DeleteAsync(key, CancellationToken.None);
            throw;
        }
        return TypedResults.Accepted($"/api/v1/photos/{photoId}", new PhotoAccepted(photoId, PhotoStatus.Processing));
    }

    internal static async Task<Results<Ok<PhotoDto>, NotFoundProblem>> GetAsync(
        Guid id, CurrentUser user, [AsParameters] PhotoServices s, CancellationToken ct)
    {
        var (photos, urls, mediaChecks) = (s.Photos, s.Urls, s.MediaChecks);
        var photo = await photos.FindForUserAsync(id, user.Id, ct);
        if (photo is null) return new NotFoundProblem("找不到", "找不到这张照片");
        JsonElement? report = photo.Report is null ? null : JsonDocument.Parse(photo.Report).RootElement.Clone();
        var previewUrl = photo.ResultKey is null ? null : urls.Create(photo.ResultKey, $"证件照-{photo.SpecId}.jpg");
        // WeChat's image check: pending until its verdict arrives (pass, review or risky).
        var check = photo.ResultKey is null ? null : await mediaChecks.FindByPhotoAsync(photo.Id, ct);
        return TypedResults.Ok(new PhotoDto(photo.Id, photo.Status, photo.ProductId, photo.SpecId, photo.Background,
            photo.SourceFormat, photo.CreatedAt, photo.ProcessedAt, report, previewUrl, check?.Suggest ?? "pending"));
    }

    /// <summary>Multipart framing adds a few hundred bytes; a body announced far beyond the photo limit is refused unread.</summary>
    private static long MaxBodyBytes(long photoLimit) => photoLimit + 64 * 1024;

    private static TooLargeProblem TooLarge(long limit) =>
        new("文件太大", $"照片不能超过 {limit / (1024 * 1024)} MB，请换一张小一些的照片");
}
