using PhotoReceipt.Api.Receipts;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Orders;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.Data.Orders;

namespace PhotoReceipt.Api.Orders;

public sealed record ApplicantDto(string? Name, string? IdNumber, string? Phone);

public sealed record TimelineItem(string Status, string Label, string? From, DateTime At, string By, string? Note);

public sealed record OrderDto(
    Guid Id, string OrderNo, string Status, string StatusLabel, string ProductId, string ProductName, string DocumentType,
    int PriceFen, Guid PhotoId, ApplicantDto Applicant, string? ImageNumber, DateTime CreatedAt, DateTime UpdatedAt,
    DateTime? PaidAt, bool Cancellable)
{
    public PaymentParameters? Payment { get; init; }
    public string? PaymentError { get; init; }
    public IReadOnlyList<TimelineItem>? Timeline { get; init; }
    /// <summary>Why the photo was rejected (rejected orders only).</summary>
    public RejectionDto? Rejection { get; init; }
    /// <summary>The receipt once issued (downloads through GET /orders/{id}/receipt).</summary>
    public ReceiptSummaryDto? Receipt { get; init; }
    /// <summary>The parent's or guardian's consent, for an applicant under 14.</summary>
    public GuardianConsentDto? Guardian { get; init; }

    public static OrderDto From(OrderRow o, ProductCatalog catalog)
    {
        var product = catalog.FindProduct(o.ProductId);
        return new(o.Id, o.OrderNo, o.Status, OrderStatus.Label(o.Status), o.ProductId, product?.Name ?? o.ProductId,
            product?.DocumentType ?? "", o.PriceFen, o.PhotoId,
            new ApplicantDto(o.ApplicantNameMasked, o.ApplicantIdMasked, o.ApplicantPhoneMasked),
            o.ImageNumber, o.CreatedAt, o.UpdatedAt, o.PaidAt, OrderStatus.Cancellable.Contains(o.Status));
    }

    /// <summary>Users see who moved their order as a kind (you, us, the photo center), never a staff name.</summary>
    public static TimelineItem From(OrderEvent e) => new(e.ToStatus, OrderStatus.MoveLabel(e.FromStatus, e.ToStatus), e.FromStatus, e.CreatedAt,
        e.Actor switch
        {
            "user" => "user",
            "wechat" => "payment",
            "simulator" or "center" => "photo_center",
            _ when e.Actor.StartsWith("staff:", StringComparison.Ordinal) => "photo_center",
            _ => "system",
        }, e.Note);
}

public sealed record RejectionReason(string Code, string Message);

public sealed record RejectionDto(IReadOnlyList<string> Codes, IReadOnlyList<RejectionReason> Reasons, string? Note, DateTime DecidedAt);

/// <summary>A line of the order list; GET /api/v1/orders/{id} has the rest.</summary>
public sealed record OrderSummaryDto(
    Guid Id, string OrderNo, string Status, string StatusLabel, string ProductId, string ProductName, int PriceFen,
    string? ApplicantName, string? ImageNumber, DateTime CreatedAt, DateTime UpdatedAt, bool Cancellable)
{
    public static OrderSummaryDto From(OrderSummaryRow o, ProductCatalog catalog) =>
        new(o.Id, o.OrderNo, o.Status, OrderStatus.Label(o.Status), o.ProductId, catalog.FindProduct(o.ProductId)?.Name ?? o.ProductId,
            o.PriceFen, o.ApplicantNameMasked, o.ImageNumber, o.CreatedAt, o.UpdatedAt, OrderStatus.Cancellable.Contains(o.Status));
}

public sealed record OrderPage(IReadOnlyList<OrderSummaryDto> Items, string? NextCursor);
