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

/// <summary>A decision as stored. Init properties, not a positional record: Dapper reads text[] as System.Array and only converts it when setting a property.</summary>
public sealed record DecisionRow
{
    public long Id { get; init; }
    public Guid OrderId { get; init; }
    public int Attempt { get; init; }
    public required string Decision { get; init; }
    public string[] ReasonCodes { get; init; } = [];
    public string? Note { get; init; }
    public string? ImageNumber { get; init; }
    public required string DecidedBy { get; init; }
    public DateTime DecidedAt { get; init; }
}

public enum DecisionOutcome
{
    Applied,
    /// <summary>The order was no longer submitted: someone else decided it (or it never was submitted).</summary>
    AlreadyDecided,
    /// <summary>The decision is about an earlier attempt than the one under review now.</summary>
    StaleAttempt,
    /// <summary>Another reviewer holds an unexpired claim on the order.</summary>
    ClaimedByOther,
    /// <summary>The center's image number is already another order's: nothing was applied; support must sort it out.</summary>
    ImageNumberTaken,
}
