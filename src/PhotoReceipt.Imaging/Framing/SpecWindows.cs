using PhotoReceipt.Core.Catalog;

namespace PhotoReceipt.Imaging.Framing;

/// <summary>An inclusive window of output pixels.</summary>
internal readonly record struct Window(double Min, double Max)
{
    public bool Contains(double v) => v >= Min - 1e-9 && v <= Max + 1e-9;
    public double Middle => (Min + Max) / 2;
    /// <summary>The central part of the window, leaving a margin for measurement noise.</summary>
    public Window Inner(double fraction)
    {
        var half = (Max - Min) * fraction / 2;
        return new Window(Middle - half, Middle + half);
    }
    public override string ToString() => $"{Math.Round(Min)}–{Math.Round(Max)} px";
}

/// <summary>
/// The geometry windows a photo is framed into and checked against: the spec's own where it has
/// them, and defaults for what it leaves open (generic sizes have none at all).
/// </summary>
internal sealed record SpecWindows(
    Window? FaceWidth, Window? HeadHeight, Window HeadTop, Window EyeFromTop, Window EyeCenterX)
{
    public static SpecWindows For(PhotoSpec spec)
    {
        double w = spec.WidthPx, h = spec.HeightPx;
        Window? faceWidth = spec.FaceWidthPx is { } f ? new Window(f.Min, f.Max) : null;
        Window? headHeight = spec.HeadHeightPx is { } hh ? new Window(hh.Min, hh.Max) : null;
        // Generic sizes: the usual studio framing, head 55–65 % of the height, 8–12 % above it.
        if (faceWidth is null && headHeight is null) headHeight = new Window(0.55 * h, 0.65 * h);
        var headTop = spec.HeadTopPx is { } ht ? new Window(ht.Min, ht.Max) : new Window(0.08 * h, 0.12 * h);

        var eyeFromSpec = spec.EyeLineFromTopPx is not null || spec.EyeLineAboveBottomMinPx is not null;
        var eyeMin = spec.EyeLineFromTopPx?.Min ?? (eyeFromSpec ? 0 : 0.25 * h);
        var eyeMax = spec.EyeLineFromTopPx?.Max ?? (eyeFromSpec ? h : 0.55 * h);
        if (spec.EyeLineAboveBottomMinPx is { } above) eyeMax = Math.Min(eyeMax, h - above);

        // Without a spec window, centring means the eye midpoint within ±3 % of the width from the middle.
        var eyeX = spec.EyeCenterXPx is { } ex ? new Window(ex.Min, ex.Max) : new Window(0.47 * w, 0.53 * w);
        return new SpecWindows(faceWidth, headHeight, headTop, new Window(eyeMin, eyeMax), eyeX);
    }
}
