namespace PhotoReceipt.Core.Notices;

/// <summary>
/// The kinds of notice written to the outbox (the notifier sends each as a subscribe message). Written
/// in the transaction of what they tell about; <c>notice.send</c> jobs carry them to WeChat.
/// </summary>
public static class NoticeKinds
{
    /// <summary>The review approved the photo; payload <c>{orderId, attempt, imageNumber}</c>.</summary>
    public const string Approved = "notice.approved";

    /// <summary>The review rejected the photo; payload <c>{orderId, attempt, reasonCodes}</c>.</summary>
    public const string Rejected = "notice.rejected";

    /// <summary>
    /// Written by the receipt-validity job 3 days before a receipt expires, payload
    /// <c>{orderId, imageNumber, validUntil, daysLeft}</c> (validUntil an ISO date; without it the reminder cannot be composed).
    /// </summary>
    public const string Expiring = "notice.expiring";

    public static readonly IReadOnlyList<string> All = [Approved, Rejected, Expiring];
}
