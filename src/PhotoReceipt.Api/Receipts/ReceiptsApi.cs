using Microsoft.AspNetCore.Http.HttpResults;
using PhotoReceipt.Api.Platform;
using PhotoReceipt.Data.Blobs;
using PhotoReceipt.Data.Orders;
using PhotoReceipt.Data.Photos;
using PhotoReceipt.Data.Receipts;

namespace PhotoReceipt.Api.Receipts;

public static class ReceiptsApi
{
    public static RouteGroupBuilder MapReceipts(this RouteGroupBuilder api)
    {
        api.MapGet("/orders/{id:guid}/receipt", GetAsync).WithTags("Orders").WithName("GetReceipt")
            .WithSummary("The order's image number and validity with short-lived download links (receipt PNG and PDF, the e-photo)");
        return api;
    }

    internal static async Task<Results<Ok<ReceiptDto>, NotFoundProblem, ConflictProblem, GoneProblem>> GetAsync(
        Guid id, CurrentUser user, OrderStore orders, ReceiptStore receipts, PrintSheetStore printSheets, FileUrls urls, HttpContext http, CancellationToken ct)
    {
        // Another user's order reads as not found, so order ids cannot be probed.
        var order = await orders.FindForUserAsync(id, user.Id, ct);
        if (order is null) return new NotFoundProblem("找不到", "找不到这个订单");
        var receipt = await receipts.FindAsync(id, ct);
        if (receipt is null)
            return new ConflictProblem("回执尚未生成", "照片审核通过后才会生成回执，请稍后再来查看");
        if (receipt.PurgedAt is not null)
            return new GoneProblem("回执已删除", "回执已超过保存期限，照片、回执和个人信息均已删除");

        var files = new List<ReceiptFileDto>(4);
        if (receipt.PngKey is { } png) files.Add(File(urls, ReceiptFileKinds.ReceiptPng, png, $"照片回执-{receipt.ImageNumber}.png"));
        if (receipt.PdfKey is { } pdf) files.Add(File(urls, ReceiptFileKinds.ReceiptPdf, pdf, $"照片回执-{receipt.ImageNumber}.pdf"));
        if (receipt.PhotoKey is { } photo) files.Add(File(urls, ReceiptFileKinds.PhotoJpeg, photo, $"电子证件照-{receipt.ImageNumber}.jpg"));
        if (receipt.PhotoKey is not null && await printSheets.KeyAsync(order.PhotoId, ct) is { } sheet)
            files.Add(File(urls, ReceiptFileKinds.PrintSheetJpeg, sheet, $"6寸冲印排版-{receipt.ImageNumber}.jpg"));
        // The links are personal and expire within minutes: no cache may keep them.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ReceiptDto(receipt.ImageNumber, receipt.IssuedAt, receipt.ValidUntil, receipt.ExpiredAt is not null, files));
    }

    private static ReceiptFileDto File(FileUrls urls, string kind, string key, string fileName) =>
        new(kind, urls.Create(key, fileName), fileName);
}
