using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Imaging.Checks;
using PhotoReceipt.Imaging.Detection;
using PhotoReceipt.Imaging.Preview;
using PhotoReceipt.Imaging.Vips;

namespace PhotoReceipt.Imaging.Pipeline;

/// <summary>
/// Makes the output pixels for one framing (crop + resize in libvips, rotation in OpenCV, matte
/// and new background) and measures what the result really shows.
/// </summary>
internal sealed class OutputRenderer(FaceDetectorPool detectors)
{
    /// <summary>What stays fixed while the framing is tried: source pixels, levelling, the coarse matte.</summary>
    internal sealed record Framing(VipsImage Master, Affine Level, double WorkingPerMaster, RgbImage Mask, double RegionX, double RegionY,
        double RegionScale, RgbColour Background, PhotoSpec Spec, FaceLandmarks LevelledFace);

    internal sealed record Rendered(RgbImage Output, RgbImage Alpha, FaceLandmarks Face, OutputGeometry Geometry);

    public Rendered RenderAndMeasure(Framing f, CropPlan plan, PhotoProcessor.StageTimes times, System.Diagnostics.Stopwatch sw)
    {
        var output = Render(f.Master, plan, f.Level, f.WorkingPerMaster);
        times.Add("render", sw);
        var toOutputFromRegion = Affine.Compose(plan.ToOutput, Affine.Compose(Affine.Translate(f.RegionX, f.RegionY), Affine.Scale(1 / f.RegionScale)));
        var outMask = NativeOps.Warp(f.Mask, toOutputFromRegion, f.Spec.WidthPx, f.Spec.HeightPx);
        var radius = Math.Max(2, (int)Math.Round(f.Spec.WidthPx / 70.0));
        var alpha = NativeOps.MatteComposite(output, outMask, radius, 1e-3, f.Background.R, f.Background.G, f.Background.B);
        times.Add("composite", sw);

        // The face on the output is large and roughly known: scan for it at ~110 px width.
        var expectedFace = f.LevelledFace.FaceWidth * plan.Scale;
        var (outFaces, outSeen) = detectors.Detect(output, scanScale: Math.Clamp(110 / expectedFace, 0.3, 1.0));
        var of = outSeen >= 1 ? outFaces[0] : f.LevelledFace.Map(plan.ToOutput);
        var top = PixelMeasures.HeadTop(alpha, of.EyeMid.X, 0.25 * of.FaceWidth, Math.Min(of.Points[19].Y, of.Points[24].Y)) ?? 0;
        var width = PixelMeasures.HeadWidth(alpha, of.EyeMid.X, of.Points[0].Y, of.Points[2].Y, of.FaceWidth);
        var geometry = new OutputGeometry(of.EyeMid.X - width / 2, of.EyeMid.X + width / 2, top, of.Chin.Y, of.EyeMid.Y, of.EyeMid.X,
            (of.RightEye - of.LeftEye).Length);
        times.Add("measure output", sw);
        return new Rendered(output, alpha, of, geometry);
    }

    // Within the windows with a 2 px margin for JPEG and detector noise.
    public static bool Fits(OutputGeometry g, SpecWindows w) => Misfit(g, w) == 0;

    /// <summary>Total pixels by which the measured geometry misses the windows (shrunk by 2 px).</summary>
    public static double Misfit(OutputGeometry g, SpecWindows w)
    {
        static double Miss(double v, Window win)
        {
            var lo = Math.Min(win.Min + 2, win.Middle);
            var hi = Math.Max(win.Max - 2, win.Middle);
            return v < lo ? lo - v : v > hi ? v - hi : 0;
        }
        var total = Miss(g.HeadTop, w.HeadTop) + Miss(g.EyeY, w.EyeFromTop) + Miss(g.EyeX, w.EyeCenterX);
        if (w.FaceWidth is { } fw) total += Miss(g.FaceWidth, fw);
        if (w.HeadHeight is { } hh) total += Miss(g.HeadHeight, hh);
        return total;
    }

    private static RgbImage Render(VipsImage master, CropPlan plan, Affine level, double workingPerMaster)
    {
        var fromMaster = Affine.Compose(plan.ToOutput, Affine.Compose(level, Affine.Scale(workingPerMaster)));
        var toMaster = fromMaster.Invert();
        var corners = new[] { new PointD(0, 0), new PointD(plan.Width, 0), new PointD(0, plan.Height), new PointD(plan.Width, plan.Height) }
            .Select(toMaster.Apply).ToArray();
        var x0 = Math.Clamp((int)Math.Floor(corners.Min(c => c.X)) - 3, 0, master.Width - 1);
        var y0 = Math.Clamp((int)Math.Floor(corners.Min(c => c.Y)) - 3, 0, master.Height - 1);
        var x1 = Math.Clamp((int)Math.Ceiling(corners.Max(c => c.X)) + 3, x0 + 1, master.Width);
        var y1 = Math.Clamp((int)Math.Ceiling(corners.Max(c => c.Y)) + 3, y0 + 1, master.Height);
        var k = plan.Scale * workingPerMaster;

        using var crop = master.Crop(x0, y0, x1 - x0, y1 - y0);
        RgbImage pixels;
        if (k < 0.999)
        {
            using var resized = crop.Resize(k);
            pixels = new RgbImage(resized.Width, resized.Height, 3, resized.ToBytes());
        }
        else
        {
            k = 1;
            pixels = new RgbImage(crop.Width, crop.Height, 3, crop.ToBytes());
        }
        // libvips maps pixel centres: output i ↔ input (i + 0.5) / k − 0.5.
        var fromResized = Affine.Compose(Affine.Translate(x0 - 0.5, y0 - 0.5), Affine.Compose(Affine.Scale(1 / k), Affine.Translate(0.5, 0.5)));
        return NativeOps.Warp(pixels, Affine.Compose(fromMaster, fromResized), plan.Width, plan.Height);
    }
}
