using System.Globalization;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Pipeline;

namespace PhotoReceipt.Imaging.Checks;

/// <summary>Collects checks as the stages run; the report lists them in a fixed order.</summary>
internal sealed class CheckReportBuilder
{
    private static readonly string[] Order =
    [
        "file", "source_resolution", "single_face", "roll", "yaw", "eyes_open", "mouth_closed", "head_top", "shoulders", "framing",
        "face_width", "head_height", "eye_line", "centring", "sharpness", "exposure", "lighting", "background_uniformity", "clothing_contrast",
    ];

    private readonly List<Check> _checks = [];

    public void Add(Check check)
    {
        _checks.RemoveAll(c => c.Id == check.Id);
        _checks.Add(check);
    }

    public void Add(string id, CheckStatus status, string? measured, string? allowed, string message) =>
        Add(new Check(id, status, measured, allowed, message));

    public CheckReport Build() => new(_checks.OrderBy(c => Array.IndexOf(Order, c.Id) is var i and >= 0 ? i : Order.Length).ToList());

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
    public void AtLeast(string id, double measured, double passAt, double warnAt, string unit, string format, string pass, string fail)
    {
        var status = measured >= passAt ? CheckStatus.Pass : measured >= warnAt ? CheckStatus.Warn : CheckStatus.Fail;
        Add(id, status, $"{Num(measured, format)}{unit}", $"≥ {Num(passAt, format)}{unit}", status == CheckStatus.Pass ? pass : fail);
    }

    /// <summary>Lower is better: pass at or below passAt, warn at or below warnAt.</summary>
    public void AtMost(string id, double measured, double passAt, double warnAt, string unit, string format, string pass, string fail)
    {
        var status = measured <= passAt ? CheckStatus.Pass : measured <= warnAt ? CheckStatus.Warn : CheckStatus.Fail;
        Add(id, status, $"{Num(measured, format)}{unit}", $"≤ {Num(passAt, format)}{unit}", status == CheckStatus.Pass ? pass : fail);
    }
}
