namespace PhotoReceipt.Receipts;

/// <summary>Everything printed on one receipt; personal data arrives already masked.</summary>
public sealed record ReceiptContent
{
    /// <summary>The catalog receipt style id (gd-id, gz-merged, …); must match the layout.</summary>
    public required string StyleId { get; init; }
    public required string Title { get; init; }
    /// <summary>The approved photo exactly as the photo center holds it, embedded unchanged.</summary>
    public required byte[] PhotoJpeg { get; init; }
    /// <summary>The spec's print size (PhotoSpec.PrintWidthMm/PrintHeightMm): the photo prints at this size.</summary>
    public required double PhotoWidthMm { get; init; }
    public required double PhotoHeightMm { get; init; }
    public required string ImageNumber { get; init; }
    public required string DocumentTypeName { get; init; }
    public required DateOnly IssueDate { get; init; }
    public required DateOnly ValidUntil { get; init; }
    public required string CollectionPointName { get; init; }
    public required string CollectionPointCode { get; init; }
    /// <summary>For example 张* (PersonalDataMasks.Name); the receipt never carries the full name.</summary>
    public required string MaskedApplicantName { get; init; }
    /// <summary>
    /// What the QR code encodes on styles that have one (a verification URL); when null the QR
    /// carries the image number, which is what a service window's scanner looks the photo up by.
    /// </summary>
    public string? QrPayload { get; init; }
}
