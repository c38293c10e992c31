using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Imaging.Checks;

/// <summary>
/// The photo cannot be processed further (unreadable file, no face). Caught inside the pipeline
/// and turned into a report; it never reaches callers of <see cref="IPhotoPipeline"/>.
/// </summary>
internal sealed class PhotoRejectedException : Exception
{
    /// <param name="detail">What the library said, for the log only; users see the check's message.</param>
    public PhotoRejectedException(Check check, string? detail = null) : base($"{check.Id}: {check.Message}")
    {
        Check = check;
        Detail = detail;
    }

    public PhotoRejectedException() : this(new Check("unknown", CheckStatus.Fail, null, null, "无法处理")) { }
    public PhotoRejectedException(string message) : base(message) => Check = new Check("unknown", CheckStatus.Fail, null, null, message);
    public PhotoRejectedException(string message, Exception inner) : base(message, inner) => Check = new Check("unknown", CheckStatus.Fail, null, null, message);

    public Check Check { get; }
    public string? Detail { get; }

    public static PhotoRejectedException Fail(string id, string? measured, string? allowed, string message) =>
        new(new Check(id, CheckStatus.Fail, measured, allowed, message));
}
