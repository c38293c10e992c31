using Microsoft.Extensions.Options;
using PhotoReceipt.Core.PhotoCenter;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Data.Review;

namespace PhotoReceipt.Worker.PhotoCenter;

/// <summary>
/// A stand-in center for local runs: it decides from our own check report, after a delay, so the
/// whole journey (notice, receipt, retake) can be walked without reviewers.
/// </summary>
public sealed class SimulatorCenter(IOptions<PhotoCenterOptions> options) : IPhotoCenter
{
    public string Name => Centers.Simulator;

    public Task<CenterAcceptance> SubmitAsync(CenterSubmission s, CancellationToken cancellationToken)
    {
        var failing = s.Report.Checks.Where(c => c.Status == CheckStatus.Fail).Select(c => c.Id).Distinct().ToList();
        var decision = failing.Count == 0
            ? CenterDecision.Approve(s.OrderId, s.Attempt, Centers.Simulator)
            : CenterDecision.Reject(s.OrderId, s.Attempt, Centers.Simulator, failing, "照片未通过检测，请按提示重新拍摄");
        return Task.FromResult(new CenterAcceptance($"sim-{s.OrderId:N}-{s.Attempt}", decision,
            TimeSpan.FromSeconds(options.Value.Simulator.DelaySeconds)));
    }
}
