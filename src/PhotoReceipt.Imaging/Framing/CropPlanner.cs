using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Imaging.Geometry;

namespace PhotoReceipt.Imaging.Framing;

/// <summary>Where the output rectangle sits in the levelled working image: out = Scale·(q − Origin).</summary>
/// <param name="Conflict">No framing holds every window: the head's own proportions (hair piled high
/// against its width) do not fit the spec.</param>
internal sealed record CropPlan(double Scale, double OriginX, double OriginY, int Width, int Height, bool Conflict = false)
{
    public Affine ToOutput => Affine.Compose(Affine.Scale(Scale), Affine.Translate(-OriginX, -OriginY));
    public double Right => OriginX + Width / Scale;
    public double Bottom => OriginY + Height / Scale;
}

/// <summary>
/// Chooses scale and offset so that face width, head height, head top, eye line and centring all
/// land inside the spec windows, aiming at the middle of each window to leave room for
/// measurement noise. When the windows cannot all hold, the eye line wins over the head top
/// (GA 461 says so for the ID card) and the report shows what is off.
/// </summary>
internal static class CropPlanner
{
    /// <param name="faceWidth">Cheek-to-cheek width in levelled working pixels.</param>
    /// <param name="headTop">Head top y (hair included), levelled working pixels.</param>
    /// <param name="chin">Chin y.</param>
    /// <param name="eye">Eye midpoint.</param>
    /// <param name="maxScale">The scale at which the source has one pixel per output pixel: the
    /// plan stays at or below it when the windows allow, so that a small source is not upscaled.</param>
    /// <param name="photoBottom">Where the photo ends below, in levelled working pixels, for a frame
    /// spanning the given x range; when the middle of the windows would reach past it, the slack the
    /// windows leave (a larger face, a lower head) is used to stay inside the photo.</param>
    public static CropPlan Plan(PhotoSpec spec, SpecWindows windows, double faceWidth, double headTop, double chin, PointD eye, double maxScale,
        Func<double, double, double>? photoBottom = null)
    {
        var headHeight = Math.Max(1, chin - headTop);
        var scales = new List<Window>();
        if (windows.FaceWidth is { } fw) scales.Add(new Window(fw.Min / faceWidth, fw.Max / faceWidth));
        if (windows.HeadHeight is { } hh) scales.Add(new Window(hh.Min / headHeight, hh.Max / headHeight));
        var lo = scales.Max(s => s.Min);
        var hi = scales.Min(s => s.Max);
        var allowed = lo <= hi ? new Window(lo, hi) : new Window(scales.Average(s => s.Middle), scales.Average(s => s.Middle));
        var target = allowed.Middle;
        if (maxScale < allowed.Max)
        {
            // The source has fewer pixels than the middle of the window wants: enlarge no more than
            // needed, keeping a quarter of the window as margin for measurement noise.
            var floor = allowed.Min + 0.25 * (allowed.Max - allowed.Min);
            target = Math.Min(target, Math.Max(maxScale, floor));
            allowed = new Window(allowed.Min, Math.Max(target, Math.Min(allowed.Max, maxScale)));
        }

        // Try scales from the middle of the allowed range outwards; take the first whose vertical
        // constraints (head top, eye line) can all be met, preferring a tight inner margin.
        CropPlan? best = null;
        var bestOverflow = double.MaxValue;
        // Inner parts of the windows first: the output is measured again by others (a photo center,
        // our own tests) whose readings differ from ours by a few pixels.
        foreach (var margin in new[] { 0.5, 0.65, 0.8, 1.0 })
        {
            foreach (var s in Candidates(allowed.Inner(margin), target))
            {
                var top = windows.HeadTop.Inner(margin);
                var eyeW = windows.EyeFromTop.Inner(margin);
                // oy ranges in which each constraint holds.
                var oyLo = Math.Max(headTop - top.Max / s, eye.Y - eyeW.Max / s);
                var oyHi = Math.Min(headTop - top.Min / s, eye.Y - eyeW.Min / s);
                if (oyLo > oyHi) continue;
                var oy = Math.Clamp(headTop - windows.HeadTop.Middle / s, oyLo, oyHi);
                var plan = Make(spec, windows, s, oy, eye);
                if (photoBottom is null) return plan;
                var overflow = Overflow(plan, photoBottom);
                if (overflow > 0)
                {
                    // Raise the frame as far as the windows allow (the head sits lower in it).
                    var raised = Make(spec, windows, s, oyLo, eye);
                    var raisedOverflow = Overflow(raised, photoBottom);
                    if (raisedOverflow < overflow) (plan, overflow) = (raised, raisedOverflow);
                }
                if (overflow < bestOverflow - 0.5) (best, bestOverflow) = (plan, overflow);
                if (overflow <= 0) return best!;
            }
            if (best is not null && margin >= 0.65) return best;
        }
        if (best is not null) return best;
        // Nothing fits: keep the eye line inside its window and let the head top fall where it may.
        var eyeY = Math.Clamp(headTop - windows.HeadTop.Middle / target, eye.Y - windows.EyeFromTop.Max / target, eye.Y - windows.EyeFromTop.Min / target);
        return Make(spec, windows, target, eyeY, eye) with { Conflict = true };
    }

    /// <summary>How far (levelled working pixels) the frame reaches below the photo.</summary>
    internal static double Overflow(CropPlan plan, Func<double, double, double> photoBottom) =>
        Math.Max(0, plan.Bottom - photoBottom(plan.OriginX, plan.Right));

    private static CropPlan Make(PhotoSpec spec, SpecWindows windows, double s, double oy, PointD eye) =>
        new(s, eye.X - windows.EyeCenterX.Middle / s, oy, spec.WidthPx, spec.HeightPx);

    private static IEnumerable<double> Candidates(Window w, double target)
    {
        var t = Math.Clamp(target, w.Min, w.Max);
        yield return t;
        const int steps = 12;
        for (var i = 1; i <= steps; i++)
        {
            var d = (w.Max - w.Min) * i / (2.0 * steps);
            if (t - d >= w.Min) yield return t - d;
            if (t + d <= w.Max) yield return t + d;
        }
    }
}
