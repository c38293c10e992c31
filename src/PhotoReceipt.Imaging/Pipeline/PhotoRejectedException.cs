using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Imaging.Pipeline;

/// <summary>
/// A stage found the photo unusable. Caught inside the pipeline and turned into a report;
/// it never reaches callers of <see cref="IPhotoPipeline"/>.
/// </summary>
internal sealed class PhotoRejectedException : Exception
{
    public PhotoRejectedException(Check check) : base($"{check.Id}: {check.Message}") => Check = check;
    public PhotoRejectedException() { Check = new Check("unknown", CheckStatus.Fail, null, null, "无法处理"); }
    public PhotoRejectedException(string message) : base(message) { Check = new Check("unknown", CheckStatus.Fail, null, null, message); }
    public PhotoRejectedException(string message, Exception inner) : base(message, inner) { Check = new Check("unknown", CheckStatus.Fail, null, null, message); }

    public Check Check { get; }

    public static PhotoRejectedException Fail(string id, string? measured, string? allowed, string message) =>
        new(new Check(id, CheckStatus.Fail, measured, allowed, message));
}
