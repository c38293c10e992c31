namespace PhotoReceipt.Data.Review;

public static class Centers
{
    public const string ReviewDesk = "review_desk";
    public const string Simulator = "simulator";
    public const string Http = "http";
}

public sealed record SubmissionRow(Guid OrderId, int Attempt, Guid PhotoId, string Center, string? CenterRef, DateTime SubmittedAt);

/// <summary>One line of the review queue.</summary>
public sealed record QueueItem(Guid OrderId, string OrderNo, string ProductId, int Attempt, DateTime SubmittedAt, string? ClaimedBy);

public sealed record DecisionRow(long Id, Guid OrderId, int Attempt, string Decision, string[] ReasonCodes, string? Note,
    string? ImageNumber, string DecidedBy, DateTime DecidedAt);

public enum DecisionOutcome
{
    Applied,
    /// <summary>The order was no longer submitted: someone else decided it (or it never was submitted).</summary>
    AlreadyDecided,
    /// <summary>The decision is about an earlier attempt than the one under review now.</summary>
    StaleAttempt,
}

/// <summary>Notices written to the outbox; the notifier (a separate job) sends them.</summary>
public static class NoticeKinds
{
    public const string Approved = "notice.approved";
    public const string Rejected = "notice.rejected";
}
