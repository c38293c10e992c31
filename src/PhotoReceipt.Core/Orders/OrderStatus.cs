namespace PhotoReceipt.Core.Orders;

/// <summary>The order lifecycle of DESIGN.md section 2, as the snake_case words stored and sent.</summary>
public static class OrderStatus
{
    public const string Created = "created";
    public const string AwaitingPayment = "awaiting_payment";
    public const string Queued = "queued";
    public const string Submitted = "submitted";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
    public const string Refunded = "refunded";

    public static readonly IReadOnlyList<string> All =
        [Created, AwaitingPayment, Queued, Submitted, Approved, Rejected, Expired, Cancelled, Failed, Refunded];

    private static readonly Dictionary<string, string[]> Next = new()
    {
        [Created] = [AwaitingPayment, Queued, Cancelled],
        [AwaitingPayment] = [Queued, Cancelled],
        [Queued] = [Submitted, Cancelled, Failed],
        [Submitted] = [Approved, Rejected],
        [Approved] = [Expired],
        // A retake sends a rejected order back to the queue with a new photo.
        [Rejected] = [Queued, Refunded],
        [Failed] = [Queued, Refunded],
        [Cancelled] = [Refunded],
        [Expired] = [],
        [Refunded] = [],
    };

    public static bool IsKnown(string status) => Next.ContainsKey(status);

    public static bool CanMove(string from, string to) => Next.TryGetValue(from, out var next) && next.Contains(to);

    /// <summary>Users may cancel only before the photo has gone to the photo center.</summary>
    public static readonly IReadOnlyList<string> Cancellable = [Created, AwaitingPayment, Queued];

    /// <summary>
    /// Chinese label of a timeline entry: the status it moved to, except that the photo center's approval
    /// reads 审核通过 (the receipt issued after it also ends in approved, and reads 已出回执).
    /// </summary>
    public static string MoveLabel(string? from, string to) => from == Submitted && to == Approved ? "审核通过" : Label(to);

    /// <summary>Chinese label shown in the mini-program and the console.</summary>
    public static string Label(string status) => status switch
    {
        Created => "已创建",
        AwaitingPayment => "待支付",
        Queued => "排队审核",
        Submitted => "审核中",
        Approved => "已出回执",
        Rejected => "未通过",
        Expired => "已过期",
        Cancelled => "已取消",
        Failed => "处理失败",
        Refunded => "已退款",
        _ => status,
    };
}
