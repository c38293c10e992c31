using PhotoReceipt.Core.Catalog;

namespace PhotoReceipt.Core.Photos;

/// <summary>
/// Turns the bytes a user uploaded into the standardized ID photo for one spec, with a check report.
/// An unusable photo is an expected outcome, returned as a report with failures (and no photo when
/// none could be made); exceptions are for bugs and for cancellation.
/// </summary>
public interface IPhotoPipeline
{
    Task<PhotoResult> StandardizeAsync(PhotoRequest request, CancellationToken cancellationToken);
}

/// <param name="Source">The uploaded file, untrusted: any format, any size, maybe not an image.</param>
/// <param name="Spec">The spec to produce.</param>
/// <param name="Background">The background colour; the spec's default when null.</param>
public sealed record PhotoRequest(ReadOnlyMemory<byte> Source, PhotoSpec Spec, RgbColour? Background = null);

/// <param name="Jpeg">The spec-compliant JPEG, or null when no photo could be produced.</param>
/// <param name="Preview">A PNG for reviewers: the result with the spec window, face box and eye line drawn on it.</param>
public sealed record PhotoResult(byte[]? Jpeg, byte[]? Preview, CheckReport Report);

public enum CheckStatus { Pass, Warn, Fail }

/// <summary>One rule of the spec measured on the photo.</summary>
/// <param name="Id">Stable rule id (single_face, face_width, head_top, eye_line, …).</param>
/// <param name="Measured">The measured value with its unit, e.g. "212 px"; null when it could not be measured.</param>
/// <param name="Allowed">The allowed range with its unit, e.g. "193–221 px".</param>
/// <param name="Message">What the user should do, in Chinese.</param>
public sealed record Check(string Id, CheckStatus Status, string? Measured, string? Allowed, string Message);

public sealed record CheckReport(IReadOnlyList<Check> Checks)
{
    /// <summary>Usable when no rule failed; warnings are shown but do not block an order.</summary>
    public bool Usable => Checks.All(c => c.Status != CheckStatus.Fail);
}
