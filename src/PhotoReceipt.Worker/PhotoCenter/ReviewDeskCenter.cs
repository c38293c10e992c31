using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Data.Review;

namespace PhotoReceipt.Worker.PhotoCenter;

/// <summary>
/// The built-in center: submitting only records the submission (done by the caller), which is what
/// puts the order in the console's review queue. Reviewers decide there.
/// </summary>
public sealed class ReviewDeskCenter : IPhotoCenter
{
    public string Name => Centers.ReviewDesk;

    public Task<CenterAcceptance> SubmitAsync(CenterSubmission submission, CancellationToken cancellationToken) =>
        Task.FromResult(new CenterAcceptance(null));
}
