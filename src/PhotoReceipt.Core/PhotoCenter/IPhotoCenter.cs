using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Core.PhotoCenter;

/// <summary>
/// Where an order's photo goes to be approved or rejected (DESIGN.md section 3): the built-in review
/// desk, an external center over HTTP, or the local simulator. Submitting only hands the photo over;
/// the decision arrives later (console, callback or a scheduled job) and is applied as a
/// <see cref="CenterDecision"/>. Throwing means "not handed over, retry later".
/// </summary>
public interface IPhotoCenter
{
    /// <summary>The name stored with each submission: review_desk, simulator or http.</summary>
    string Name { get; }

    Task<CenterAcceptance> SubmitAsync(CenterSubmission submission, CancellationToken cancellationToken);
}

/// <param name="Attempt">1 for the first submission, one more for each retake; the center answers per attempt.</param>
/// <param name="Photo">The standardized e-photo (JPEG).</param>
public sealed record CenterSubmission(
    Guid OrderId, string OrderNo, int Attempt, string ProductId, string DocumentType, string SpecId,
    ReadOnlyMemory<byte> Photo, CheckReport Report);

/// <param name="CenterRef">The center's own id for the submission, when it gives one.</param>
/// <param name="Scheduled">A decision the center has already made, to be applied after <paramref name="DecideAfter"/> (the simulator).</param>
public sealed record CenterAcceptance(string? CenterRef, CenterDecision? Scheduled = null, TimeSpan DecideAfter = default);

/// <summary>A center's verdict on one attempt of one order.</summary>
/// <param name="ReasonCodes">Check ids (background_uniformity, face_width, …) or reviewer codes; empty on approval.</param>
/// <param name="ImageNumber">The center's image number; null means we issue our own.</param>
/// <param name="DecidedBy">staff:&lt;name&gt;, simulator or center — shown to support, never to users.</param>
public sealed record CenterDecision(
    Guid OrderId, int Attempt, bool Approved, IReadOnlyList<string> ReasonCodes, string? Note, string? ImageNumber, string DecidedBy)
{
    public static CenterDecision Approve(Guid orderId, int attempt, string decidedBy, string? imageNumber = null) =>
        new(orderId, attempt, true, [], null, imageNumber, decidedBy);

    public static CenterDecision Reject(Guid orderId, int attempt, string decidedBy, IReadOnlyList<string> codes, string? note) =>
        new(orderId, attempt, false, codes, note, null, decidedBy);
}
