using PhotoReceipt.Data.Receipts;

namespace PhotoReceipt.Api.Receipts;

public static class ReceiptFileKinds
{
    public const string ReceiptPng = "receipt_png";
    public const string ReceiptPdf = "receipt_pdf";
    public const string PhotoJpeg = "photo_jpeg";
    /// <summary>The 6-inch (4R) print layout of the e-photo, for a photo kiosk.</summary>
    public const string PrintSheetJpeg = "print_sheet_jpeg";
}

/// <param name="Url">Signed and short-lived (Files:UrlLifetimeMinutes): ask again for a fresh one.</param>
public sealed record ReceiptFileDto(string Kind, string Url, string FileName);

/// <param name="ValidUntil">The last day the receipt is valid, as printed on it (China's calendar).</param>
public sealed record ReceiptDto(string ImageNumber, DateTime IssuedAt, DateOnly ValidUntil, bool Expired, IReadOnlyList<ReceiptFileDto> Files);

/// <summary>The receipt's facts without download links, for the order page.</summary>
public sealed record ReceiptSummaryDto(string ImageNumber, string? Style, DateTime IssuedAt, DateOnly ValidUntil, bool Expired, bool Deleted)
{
    public static ReceiptSummaryDto From(ReceiptRow r) =>
        new(r.ImageNumber, r.Style, r.IssuedAt, r.ValidUntil, r.ExpiredAt is not null, r.PurgedAt is not null);
}
