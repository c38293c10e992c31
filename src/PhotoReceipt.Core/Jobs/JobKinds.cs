using PhotoReceipt.Core.PhotoCenter;

namespace PhotoReceipt.Core.Jobs;

/// <summary>
/// A kind of job and the payload record its handler reads: the code that enqueues and the handler
/// that runs it name the same <see cref="JobKind{TPayload}"/>, so neither can drift from the other.
/// </summary>
public sealed record JobKind<TPayload>(string Name) where TPayload : notnull
{
    /// <summary>A dedupe key for this kind, e.g. <c>order.refund:&lt;orderId&gt;</c>.</summary>
    public string Key(params object[] parts) => string.Join(':', [Name, .. parts.Select(p => p.ToString())]);

    public override string ToString() => Name;
}

/// <summary>The photo a job is about.</summary>
public sealed record PhotoPayload(Guid PhotoId);

/// <summary>The order a job is about.</summary>
public sealed record OrderPayload(Guid OrderId);

/// <summary>The submission a job makes: the attempt is one more than the submissions recorded when it was queued.</summary>
public sealed record SubmitPayload(Guid OrderId, int Attempt);

/// <summary>The outbox row (and so the notice) a send job delivers.</summary>
public sealed record NoticePayload(long OutboxId);

/// <param name="SessionFrom">The contact button's session-from, e.g. "order:&lt;id&gt;".</param>
public sealed record CustomerServicePayload(string OpenId, string? SessionFrom);

/// <summary>A recurring job's time slot (its start in Unix seconds ÷ its period): one job per slot.</summary>
public sealed record RecurringSlot(long Slot);

/// <summary>Every job kind there is, each once.</summary>
public static class JobKinds
{
    /// <summary>Standardizes an upload (enqueued with the photo row).</summary>
    public static readonly JobKind<PhotoPayload> ProcessPhoto = new("photo.process");

    /// <summary>WeChat's asynchronous image check of a standardized photo (enqueued when the photo is processed).</summary>
    public static readonly JobKind<PhotoPayload> ContentCheck = new("photo.content_check");

    /// <summary>Lays a usable standardized photo out on a 6-inch print sheet (enqueued with the photo's outcome).</summary>
    public static readonly JobKind<PhotoPayload> RenderPrintSheet = new("photo.print_sheet");

    /// <summary>queued → submitted: hands the order's photo to the photo center. Every move into queued enqueues it.</summary>
    public static readonly JobKind<SubmitPayload> SubmitOrder = new("order.submit");

    /// <summary>submitted → approved | rejected: a decision the center delivered (simulator, HTTP callback).</summary>
    public static readonly JobKind<CenterDecision> DecideOrder = new("order.decide");

    /// <summary>Gives back what was paid for an order (one refund number per order, reused on retry).</summary>
    public static readonly JobKind<OrderPayload> RefundOrder = new("order.refund");

    /// <summary>Renders and stores the receipt (or records the e-photo) of an approved order; enqueued with the approval.</summary>
    public static readonly JobKind<OrderPayload> IssueReceipt = new("receipt.issue");

    /// <summary>Reports a paid order's virtual delivery to WeChat (upload_shipping_info); enqueued with the receipt.</summary>
    public static readonly JobKind<OrderPayload> ReportDelivery = new("order.report_delivery");

    /// <summary>Sends one notice from the outbox, at most once.</summary>
    public static readonly JobKind<NoticePayload> SendNotice = new("notice.send");

    /// <summary>The first answer to a message from the 客服 button (WeChat gives the push callback 5 s; a send is a call of its own).</summary>
    public static readonly JobKind<CustomerServicePayload> CustomerServiceReply = new("cs.reply");

    // Recurring: one per time slot, enqueued by every worker replica and deduplicated by the slot.

    /// <summary>The outbox dispatcher: new notice rows become pending notices and send jobs.</summary>
    public static readonly JobKind<RecurringSlot> DispatchNotices = new("notice.dispatch");

    /// <summary>Hourly: receipt expiry, the reminder before it, deletion after the retention period.</summary>
    public static readonly JobKind<RecurringSlot> ReceiptValidity = new("receipt.validity");

    /// <summary>Asks WeChat Pay about orders still unpaid after a few minutes (a lost notice).</summary>
    public static readonly JobKind<RecurringSlot> ReconcilePayments = new("payments.reconcile");

    /// <summary>Expired sessions, old finished jobs, orphaned blobs.</summary>
    public static readonly JobKind<RecurringSlot> Cleanup = new("maintenance.cleanup");
}
