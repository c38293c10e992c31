using PhotoReceipt.Data.Review;

namespace PhotoReceipt.Worker.Notices;

/// <summary>The outbox kinds the notifier sends, and each one's template.</summary>
public static class NoticeKind
{
    /// <summary>
    /// Written by the receipt-validity job 3 days before a receipt expires, payload
    /// <c>{orderId, validUntil}</c> (validUntil an ISO date; without it the reminder cannot be composed).
    /// </summary>
    public const string Expiring = "notice.expiring";

    public static NoticeTemplate TemplateFor(this NoticeOptions options, string kind) => kind switch
    {
        NoticeKinds.Approved => options.Templates.Approved,
        NoticeKinds.Rejected => options.Templates.Rejected,
        Expiring => options.Templates.Expiring,
        _ => throw new ArgumentException($"'{kind}' is not a notice kind.", nameof(kind)),
    };

    public static IReadOnlyDictionary<string, string> TemplateIds(this NoticeOptions options) => new Dictionary<string, string>
    {
        [NoticeKinds.Approved] = options.Templates.Approved.TemplateId,
        [NoticeKinds.Rejected] = options.Templates.Rejected.TemplateId,
        [Expiring] = options.Templates.Expiring.TemplateId,
    };
}
