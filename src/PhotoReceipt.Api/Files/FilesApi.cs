using Microsoft.AspNetCore.Http.HttpResults;
using PhotoReceipt.Core.Blobs;
using PhotoReceipt.Api.Platform;
using PhotoReceipt.Data.Blobs;

namespace PhotoReceipt.Api.Files;

public static class FilesApi
{
    public static IEndpointRouteBuilder MapFiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/files/{**key}", DownloadAsync).WithName("DownloadFile").WithSummary("A photo or receipt through a signed, expiring URL")
            .WithTags("Files").AllowAnonymous()
            // A stream result describes no response of its own: the file is the 200.
            .Produces(200, contentType: "application/octet-stream", additionalContentTypes: ["image/jpeg", "image/png", "application/pdf"]);
        return app;
    }

    internal static async Task<Results<FileStreamHttpResult, ForbiddenProblem, NotFoundProblem>> DownloadAsync(
        string key, string? name, string? exp, string? sig, FileUrls urls, IBlobStore blobs, HttpContext http, CancellationToken ct)
    {
        name ??= "";
        if (!urls.Verify(key, name, exp, sig))
            return new ForbiddenProblem("链接已失效", "下载链接已过期或无效，请回到订单页重新打开");
        var stream = await blobs.OpenReadAsync(key, ct);
        if (stream is null)
            return new NotFoundProblem("找不到", "文件已删除（超过保存期限）");
        http.Response.Headers.CacheControl = "private, max-age=300";
        return TypedResults.Stream(stream, BlobKeys.ContentTypeOf(key), fileDownloadName: string.IsNullOrEmpty(name) ? null : name);
    }
}
