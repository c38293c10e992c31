using OpenCvSharp;
using PhotoReceipt.Imaging.Geometry;

namespace PhotoReceipt.Imaging.Checks;

/// <summary>
/// What the landmarks and the pixels between them say about the face, measured on the source
/// photo (before any framing), so that each is known even when no crop can be made.
/// </summary>
/// <param name="EyeOpening">Lid gap over eye width (landmarks), the less open eye.</param>
/// <param name="EyeSclera">The brightest tenth of the eye openings against the skin: the whites of the eyes; tinted lenses darken them.</param>
/// <param name="EyeGlare">Share of near-white pixels around the eyes (lens reflections).</param>
/// <param name="MouthGap">Inner-lip gap over mouth width.</param>
/// <param name="MouthTeeth">Share of the pixels between the inner lips that are teeth (bright, nearly colourless).</param>
/// <param name="LipContrast">How much redder (CIE a*) the lips are than the cheeks: near zero when something covers the mouth.</param>
/// <param name="Smile">How far the mouth corners sit above the lips' centre, over the mouth width (levelled): a smile lifts them.</param>
/// <param name="SkinChroma">CIE a* of the cheeks: near zero in a black-and-white photo, where lip colour says nothing.</param>
/// <param name="HeadWidth">The widest the person is within half a face width above the forehead, over the face width (a hat's brim).</param>
/// <param name="ForeheadSkin">Share of the strip just above the eyebrows that looks like the face's skin (hair hanging over the brows hides it).</param>
/// <param name="HeadwearColour">Share of strongly coloured, not-hair-coloured person pixels above the forehead.</param>
internal sealed record FaceFacts(
    double EyeOpening, double EyeSclera, double EyeGlare,
    double MouthGap, double MouthTeeth, double LipContrast, double Smile, double SkinChroma, double HeadWidth,
    double Sharpness, double SkinLuma, double LightingImbalance, double ForeheadSkin, double HeadwearColour);

internal static class FaceMeasures
{
    /// <summary>Large faces are reduced to this cheek width before sharpness is measured, so one limit fits every photo size.</summary>
    private const double SharpnessFaceWidth = 160;

    /// <param name="person">The whole-frame person probability (256×256, CV_32F) for the headwear search.</param>
    public static FaceFacts Measure(Mat rgb, FaceMesh m, Mat person)
    {
        var fw = m.FaceWidth;
        var skin = Region(rgb, m, [50, 101, 118, 330, 347, 280, 4, 5, 195], fw * 0.06);
        var skinLuma = Median(skin.Select(Luma));
        var rightCheek = Median(Region(rgb, m, [50, 101, 118, 117, 123, 187, 205, 36], fw * 0.05).Select(Luma));
        var leftCheek = Median(Region(rgb, m, [280, 330, 347, 346, 352, 411, 425, 266], fw * 0.05).Select(Luma));
        var imbalance = Math.Abs(rightCheek - leftCheek) / Math.Max(1, Math.Max(rightCheek, leftCheek));

        var rightEye = PolygonPixels(rgb, FaceMesh.RightEyeContour.Select(i => m[i]).ToList());
        var leftEye = PolygonPixels(rgb, FaceMesh.LeftEyeContour.Select(i => m[i]).ToList());
        var both = rightEye.Concat(leftEye).Select(Luma).Order().ToList();
        var sclera = both.Count == 0 ? 1 : both[(int)(both.Count * 0.9)] / Math.Max(1, skinLuma);
        var around = EyeBox(rgb, m, FaceMesh.RightEyeContour).Concat(EyeBox(rgb, m, FaceMesh.LeftEyeContour)).ToList();
        var glare = around.Count == 0 ? 0 : around.Count(p => Luma(p) >= 245) / (double)around.Count;

        return new FaceFacts(
            EyeOpening(m), sclera, glare,
            MouthGap(m), Teeth(rgb, m), LipContrast(rgb, m), Smile(m), Median(Region(rgb, m, [50, 280, 205, 425], fw * 0.05).Select(RedGreen)),
            HeadWidth(rgb, m, person),
            Sharpness(rgb, m), skinLuma, imbalance, ForeheadSkin(rgb, m, skin), HeadwearColour(rgb, m, person));
    }

    private static double EyeOpening(FaceMesh m)
    {
        double Eye(int[] upper, int[] lower, int a, int b) =>
            upper.Zip(lower).Average(p => PointD.Distance(m[p.First], m[p.Second])) / Math.Max(1e-6, PointD.Distance(m[a], m[b]));
        return Math.Min(Eye(FaceMesh.RightUpperLid, FaceMesh.RightLowerLid, FaceMesh.RightEyeOuter, FaceMesh.RightEyeInner),
            Eye(FaceMesh.LeftUpperLid, FaceMesh.LeftLowerLid, FaceMesh.LeftEyeInner, FaceMesh.LeftEyeOuter));
    }

    private static double MouthGap(FaceMesh m)
    {
        var gap = (PointD.Distance(m[13], m[14]) + PointD.Distance(m[82], m[87]) + PointD.Distance(m[312], m[317])) / 3;
        return gap / Math.Max(1e-6, PointD.Distance(m[FaceMesh.MouthRight], m[FaceMesh.MouthLeft]));
    }

    /// <summary>The share of the pixels between the inner lips that are teeth (0 when the lips touch).</summary>
    private static double Teeth(Mat rgb, FaceMesh m)
    {
        var polygon = FaceMesh.UpperInnerLip.Concat(FaceMesh.LowerInnerLip.Reverse()).Select(i => m[i]).ToList();
        var inside = PolygonPixels(rgb, polygon);
        if (inside.Count < 8) return 0;
        var lips = PolygonPixels(rgb, FaceMesh.OuterLips.Select(i => m[i]).ToList());
        var lipLuma = Median(lips.Select(Luma));
        return inside.Count(p => Luma(p) > Math.Max(80, lipLuma * 1.1) && Saturation(p) < 0.4) / (double)inside.Count;
    }

    private static double Smile(FaceMesh m)
    {
        var level = Affine.Rotate(-m.Roll, 0, 0);
        var centre = level.Apply(PointD.Mid(m[FaceMesh.UpperLipInner], m[FaceMesh.LowerLipInner]));
        var right = level.Apply(m[FaceMesh.MouthRight]);
        var left = level.Apply(m[FaceMesh.MouthLeft]);
        return (centre.Y - (right.Y + left.Y) / 2) / Math.Max(1e-6, left.X - right.X);
    }

    /// <summary>The widest run of person pixels across the head, from the forehead up to half a face width above it.</summary>
    private static double HeadWidth(Mat rgb, FaceMesh m, Mat person)
    {
        var head = HeadAxes.Of(m);
        bool Person(PointD q) => OnPerson(person, rgb, q);
        var widest = 0.0;
        for (var t = 0.0; t <= 0.5; t += 0.05)
        {
            var c = head.At(t, 0);
            if (!Person(c)) break;
            double l = 0, r = 0;
            while (l < 3 && Person(head.At(t, -(l + 0.02)))) l += 0.02;
            while (r < 3 && Person(head.At(t, r + 0.02))) r += 0.02;
            widest = Math.Max(widest, l + r);
        }
        return widest;
    }

    /// <summary>
    /// Directions on the head: from the forehead's top (<see cref="FaceMesh.ForeheadTop"/>) along the chin-to-forehead
    /// axis and across it, in face widths, so that a tilted head is measured along its own axes.
    /// </summary>
    private readonly record struct HeadAxes(PointD Top, PointD Up, PointD Across, double FaceWidth)
    {
        public static HeadAxes Of(FaceMesh m)
        {
            var up = m[FaceMesh.ForeheadTop] - m[FaceMesh.Chin];
            var unit = up / Math.Max(1e-6, up.Length);
            return new HeadAxes(m[FaceMesh.ForeheadTop], unit, new PointD(-unit.Y, unit.X), m.FaceWidth);
        }

        /// <summary>The point <paramref name="up"/> face widths above the forehead's top and <paramref name="side"/> across.</summary>
        public PointD At(double up, double side) => Top + (Up * (up * FaceWidth)) + (Across * (side * FaceWidth));
    }

    /// <summary>Whether the segmentation (square, any size) says <paramref name="q"/>, in image pixels, is on the person.</summary>
    private static bool OnPerson(Mat person, Mat rgb, PointD q)
    {
        int n = person.Width, w = rgb.Width, h = rgb.Height;
        return q.X >= 0 && q.Y >= 0 && q.X < w && q.Y < h && person.At<float>((int)(q.Y / h * n), (int)(q.X / w * n)) >= 0.5f;
    }

    /// <summary>CIE a* (green–red) of the lips minus that of the cheeks.</summary>
    private static double LipContrast(Mat rgb, FaceMesh m)
    {
        var inner = FaceMesh.UpperInnerLip.Concat(FaceMesh.LowerInnerLip.Reverse()).Select(i => m[i]).ToList();
        var lips = PolygonPixels(rgb, FaceMesh.OuterLips.Select(i => m[i]).ToList(), inner);
        var cheeks = Region(rgb, m, [50, 280, 205, 425], m.FaceWidth * 0.05);
        if (lips.Count == 0 || cheeks.Count == 0) return 0;
        return Median(lips.Select(RedGreen)) - Median(cheeks.Select(RedGreen));
    }

    private static double Sharpness(Mat rgb, FaceMesh m)
    {
        var (x0, y0, x1, y1) = m.Bounds([33, 263, 70, 300, 61, 291, 17]);
        var rect = Clip(rgb, x0, y0, x1, y1);
        if (rect.Width < 4 || rect.Height < 4) return 0;
        using var roi = new Mat(rgb, rect);
        using var grey = new Mat();
        Cv2.CvtColor(roi, grey, ColorConversionCodes.RGB2GRAY);
        // Reduce only: enlarging a small face would make it look blurred when it is merely small
        // (which source_resolution reports).
        var k = Math.Min(1, SharpnessFaceWidth / Math.Max(1, m.FaceWidth));
        using var scaled = new Mat();
        Cv2.Resize(grey, scaled, new Size(Math.Max(4, (int)(rect.Width * k)), Math.Max(4, (int)(rect.Height * k))), 0, 0, InterpolationFlags.Area);
        using var lap = new Mat();
        Cv2.Laplacian(scaled, lap, MatType.CV_32F);
        Cv2.MeanStdDev(lap, out _, out var std);
        return std.Val0 * std.Val0;
    }

    /// <summary>The strip just above each eyebrow (up to a tenth of the face width), compared with the cheeks' colour.</summary>
    private static double ForeheadSkin(Mat rgb, FaceMesh m, List<Vec3b> skin)
    {
        if (skin.Count == 0) return 1;
        var (sr, sg, sb) = (Median(skin.Select(p => (double)p.Item0)), Median(skin.Select(p => (double)p.Item1)), Median(skin.Select(p => (double)p.Item2)));
        var head = HeadAxes.Of(m);
        var lift = head.Up * (0.1 * head.FaceWidth);
        var strip = new List<Vec3b>();
        foreach (var brow in new[] { new[] { 70, 63, 105, 66, 107 }, new[] { 336, 296, 334, 293, 300 } })
        {
            var lower = brow.Select(i => m[i]).ToList();
            var polygon = lower.Concat(lower.AsEnumerable().Reverse().Select(p => p + lift)).ToList();
            strip.AddRange(PolygonPixels(rgb, polygon));
        }
        if (strip.Count == 0) return 1;
        var tolerance = Math.Max(45, 0.3 * (sr + sg + sb));
        return strip.Count(p => Math.Abs(p.Item0 - sr) + Math.Abs(p.Item1 - sg) + Math.Abs(p.Item2 - sb) < tolerance) / (double)strip.Count;
    }

    /// <summary>
    /// Above the forehead, on the person: the share of pixels in colours hair does not have
    /// (saturated reds, pinks, greens, blues, purples). Natural hair — black, brown, blonde, ginger —
    /// sits in a narrow orange-yellow hue band or is unsaturated.
    /// </summary>
    private static double HeadwearColour(Mat rgb, FaceMesh m, Mat person)
    {
        var head = HeadAxes.Of(m);
        int total = 0, coloured = 0;
        for (var t = 0.0; t <= 0.6; t += 0.02)
        {
            for (var s = -0.45; s <= 0.45; s += 0.02)
            {
                var q = head.At(t, s);
                if (!OnPerson(person, rgb, q)) continue;
                total++;
                var c = rgb.At<Vec3b>((int)q.Y, (int)q.X);
                var (hue, sat, val) = Hsv(c);
                var hairHue = hue is >= 8 and <= 55;
                if (sat > 0.45 && val > 0.3 && (!hairHue || sat > 0.85)) coloured++;
            }
        }
        return total == 0 ? 0 : coloured / (double)total;
    }

    private static IEnumerable<Vec3b> EyeBox(Mat rgb, FaceMesh m, int[] contour)
    {
        var (x0, y0, x1, y1) = m.Bounds(contour);
        var pad = (x1 - x0) * 0.2;
        return Pixels(rgb, Clip(rgb, x0 - pad, y0 - pad, x1 + pad, y1 + pad));
    }

    private static List<Vec3b> Region(Mat rgb, FaceMesh m, int[] centres, double half)
    {
        var pixels = new List<Vec3b>();
        foreach (var i in centres) pixels.AddRange(Pixels(rgb, Clip(rgb, m[i].X - half, m[i].Y - half, m[i].X + half, m[i].Y + half)));
        return pixels;
    }

    private static IEnumerable<Vec3b> Pixels(Mat rgb, Rect r)
    {
        for (var y = r.Top; y < r.Bottom; y++)
            for (var x = r.Left; x < r.Right; x++)
                yield return rgb.At<Vec3b>(y, x);
    }

    /// <summary>The pixels whose centres lie inside <paramref name="polygon"/> (and outside <paramref name="hole"/>).</summary>
    internal static List<Vec3b> PolygonPixels(Mat rgb, List<PointD> polygon, List<PointD>? hole = null)
    {
        var result = new List<Vec3b>();
        var x0 = (int)Math.Floor(polygon.Min(p => p.X));
        var x1 = (int)Math.Ceiling(polygon.Max(p => p.X));
        var y0 = (int)Math.Floor(polygon.Min(p => p.Y));
        var y1 = (int)Math.Ceiling(polygon.Max(p => p.Y));
        int width = rgb.Width, height = rgb.Height;
        for (var y = Math.Max(0, y0); y <= Math.Min(height - 1, y1); y++)
            for (var x = Math.Max(0, x0); x <= Math.Min(width - 1, x1); x++)
                if (Inside(polygon, x + 0.5, y + 0.5) && (hole is null || !Inside(hole, x + 0.5, y + 0.5))) result.Add(rgb.At<Vec3b>(y, x));
        return result;
    }

    private static bool Inside(List<PointD> polygon, double x, double y)
    {
        var inside = false;
        for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
        {
            var (a, b) = (polygon[i], polygon[j]);
            if ((a.Y > y) != (b.Y > y) && x < (b.X - a.X) * (y - a.Y) / (b.Y - a.Y) + a.X) inside = !inside;
        }
        return inside;
    }

    internal static Rect Clip(Mat image, double x0, double y0, double x1, double y1)
    {
        var l = Math.Clamp((int)Math.Floor(x0), 0, image.Width);
        var t = Math.Clamp((int)Math.Floor(y0), 0, image.Height);
        var r = Math.Clamp((int)Math.Ceiling(x1), l, image.Width);
        var b = Math.Clamp((int)Math.Ceiling(y1), t, image.Height);
        return new Rect(l, t, r - l, b - t);
    }

    internal static double Luma(Vec3b p) => 0.299 * p.Item0 + 0.587 * p.Item1 + 0.114 * p.Item2;

    private static double Saturation(Vec3b p)
    {
        var max = Math.Max(p.Item0, Math.Max(p.Item1, p.Item2));
        var min = Math.Min(p.Item0, Math.Min(p.Item1, p.Item2));
        return max == 0 ? 0 : (max - min) / (double)max;
    }

    /// <summary>Hue in degrees, saturation and value 0–1.</summary>
    private static (double Hue, double Saturation, double Value) Hsv(Vec3b p)
    {
        double r = p.Item0 / 255.0, g = p.Item1 / 255.0, b = p.Item2 / 255.0;
        var max = Math.Max(r, Math.Max(g, b));
        var min = Math.Min(r, Math.Min(g, b));
        var d = max - min;
        var hue = d == 0 ? 0 : max == r ? 60 * (((g - b) / d + 6) % 6) : max == g ? 60 * ((b - r) / d + 2) : 60 * ((r - g) / d + 4);
        return (hue, max == 0 ? 0 : d / max, max);
    }

    /// <summary>An sRGB pixel's CIE a* (green −, red +), the channel that separates lips from skin.</summary>
    private static double RedGreen(Vec3b p)
    {
        double r = SrgbToLinear[p.Item0], g = SrgbToLinear[p.Item1], b = SrgbToLinear[p.Item2];
        var x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        var y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : 7.787 * t + 16.0 / 116;
        return 500 * (F(x) - F(y));
    }

    private static readonly double[] SrgbToLinear = Enumerable.Range(0, 256)
        .Select(v => v / 255.0 <= 0.04045 ? v / 255.0 / 12.92 : Math.Pow((v / 255.0 + 0.055) / 1.055, 2.4)).ToArray();

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0) return 0;
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}
