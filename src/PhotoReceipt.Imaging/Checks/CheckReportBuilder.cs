using System.Globalization;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Framing;

namespace PhotoReceipt.Imaging.Checks;

/// <summary>
/// Collects checks as the stages run. The report lists failures first, then warnings, then
/// passes; within each, the fix a user can make most easily and that changes most comes first
/// (another person or a turned head before a slightly small face).
/// </summary>
internal sealed class CheckReportBuilder
{
    private static readonly string[] Order =
    [
        "file", "single_face", "yaw", "pitch", "roll", "headwear", "glasses", "hair_over_eyes", "eyes_open", "mouth_closed",
        "head_top", "shoulders", "framing", "source_resolution", "sharpness", "exposure", "lighting", "background", "clothing_contrast",
        "face_width", "head_height", "eye_line", "centring",
    ];

    private readonly List<Check> _checks = [];

    public void Add(Check check)
    {
        _checks.RemoveAll(c => c.Id == check.Id);
        _checks.Add(check);
    }

    public void Add(string id, CheckStatus status, string? measured, string? allowed, string message) =>
        Add(new Check(id, status, measured, allowed, message));

    public Check? Find(string id) => _checks.FirstOrDefault(c => c.Id == id);

    public CheckReport Build() => new(_checks
        .OrderBy(c => c.Status switch { CheckStatus.Fail => 0, CheckStatus.Warn => 1, _ => 2 })
        .ThenBy(c => Array.IndexOf(Order, c.Id) is var i and >= 0 ? i : Order.Length)
        .ToList());

    public static string Px(double v) => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(v)} px");
    public static string Num(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>Pass inside the window; warn within a small tolerance of it; fail beyond.</summary>
    public void Window(string id, double measured, Window window, double tolerance, string pass, string tooSmall, string tooLarge)
    {
        var status = window.Contains(measured) ? CheckStatus.Pass
            : measured >= window.Min - tolerance && measured <= window.Max + tolerance ? CheckStatus.Warn
            : CheckStatus.Fail;
        var message = status == CheckStatus.Pass ? pass : measured < window.Min ? tooSmall : tooLarge;
        Add(id, status, Px(measured), window.ToString(), message);
    }

    /// <summary>Higher is better: pass at or above passAt, warn at or above warnAt.</summary>
    public void AtLeast(string id, double measured, double passAt, double warnAt, string unit, string format, string pass, string warn, string fail)
    {
        var status = measured >= passAt ? CheckStatus.Pass : measured >= warnAt ? CheckStatus.Warn : CheckStatus.Fail;
        Add(id, status, $"{Num(measured, format)}{unit}", $"≥ {Num(passAt, format)}{unit}", status switch { CheckStatus.Pass => pass, CheckStatus.Warn => warn, _ => fail });
    }

    /// <summary>Lower is better: pass at or below passAt, warn at or below warnAt.</summary>
    public void AtMost(string id, double measured, double passAt, double warnAt, string unit, string format, string pass, string warn, string fail)
    {
        var status = measured <= passAt ? CheckStatus.Pass : measured <= warnAt ? CheckStatus.Warn : CheckStatus.Fail;
        Add(id, status, $"{Num(measured, format)}{unit}", $"≤ {Num(passAt, format)}{unit}", status switch { CheckStatus.Pass => pass, CheckStatus.Warn => warn, _ => fail });
    }
}
