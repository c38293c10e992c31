using OpenCvSharp;
using PhotoReceipt.Core.Catalog;

namespace PhotoReceipt.Imaging.Checks;

/// <summary>Measured geometry of the finished photo, in output pixels.</summary>
internal sealed record OutputGeometry(double FaceLeft, double FaceRight, double HeadTop, double Chin, double EyeY, double EyeX)
{
    public double FaceWidth => FaceRight - FaceLeft;
    public double HeadHeight => Chin - HeadTop;
}

/// <summary>Clothing below the chin, where the matte says the person is.</summary>
internal readonly record struct ClothingStats(int Pixels, double R, double G, double B, double RedFraction)
{
    public double Luma => 0.299 * R + 0.587 * G + 0.114 * B;
    public double DistanceTo(RgbColour c) => Math.Sqrt(Math.Pow(R - c.R, 2) + Math.Pow(G - c.G, 2) + Math.Pow(B - c.B, 2));
}

/// <summary>What the matte and the framing show on the output.</summary>
internal static class OutputMeasures
{
    /// <summary>
    /// The head's width as the ID specs mean it: across the ears, from the matte, the median over
    /// the rows from the eye line to the nose tip of the person run through the face's centre;
    /// never less than the cheeks (234–454) and at most 1.3× them, so that hair hanging beside the
    /// face does not count as head.
    /// </summary>
    /// <returns>Left and right edges in output pixels.</returns>
    public static (double Left, double Right) HeadWidth(Mat alpha, double eyeX, double eyeY, double noseY, double cheekLeft, double cheekRight)
    {
        var a = alpha.AsSpan<float>();
        int w = alpha.Width, h = alpha.Height;
        var cx = Math.Clamp((int)Math.Round(eyeX), 0, w - 1);
        var runs = new List<(int L, int R)>();
        for (var y = Math.Clamp((int)eyeY, 0, h - 1); y <= Math.Clamp((int)noseY, 0, h - 1); y++)
        {
            if (a[y * w + cx] < 0.5f) continue;
            int l = cx, r = cx;
            while (l > 0 && a[y * w + l - 1] >= 0.5f) l--;
            while (r < w - 1 && a[y * w + r + 1] >= 0.5f) r++;
            runs.Add((l, r + 1));
        }
        var cheeks = cheekRight - cheekLeft;
        if (runs.Count == 0) return (cheekLeft, cheekRight);
        var left = runs.Select(r => (double)r.L).Order().ElementAt(runs.Count / 2);
        var right = runs.Select(r => (double)r.R).Order().ElementAt(runs.Count / 2);
        var width = Math.Clamp(right - left, cheeks, 1.3 * cheeks);
        var centre = Math.Clamp((left + right) / 2, cheekLeft, cheekRight);
        return (centre - width / 2, centre + width / 2);
    }

    /// <summary>
    /// The head top as anyone reading the file sees it: the first row from the top where a fifth
    /// of the head's central columns differ from the spec colour by more than 60 levels summed
    /// over the channels. Read on the composite, not the matte: a dark strand in front of a light
    /// wall stays dark after the background is replaced even where the matte calls it faint.
    /// </summary>
    public static double? HeadTop(Mat composite, RgbColour background, double eyeX, double faceWidth, double below)
    {
        var px = composite.AsSpan<byte>();
        int w = composite.Width;
        var x0 = Math.Clamp((int)(eyeX - 0.25 * faceWidth), 0, w - 1);
        var x1 = Math.Clamp((int)(eyeX + 0.25 * faceWidth), 0, w - 1);
        var needed = Math.Max(1, (x1 - x0 + 1) / 5);
        var last = Math.Clamp((int)below, 0, composite.Height - 1);
        for (var y = 0; y <= last; y++)
        {
            var count = 0;
            for (var x = x0; x <= x1; x++)
            {
                var i = 3 * (y * w + x);
                if (Math.Abs(px[i] - background.R) + Math.Abs(px[i + 1] - background.G) + Math.Abs(px[i + 2] - background.B) > 60) count++;
            }
            if (count >= needed) return y;
        }
        return null;
    }

    /// <summary>
    /// How wide (in face widths) the hair meets the photo's own top edge: the longest run of the
    /// head's columns where, just below that edge, the matte says person. Hair grazing the edge at
    /// its crown meets it over a narrow arc; a head cut by the edge meets it across the skull. The
    /// matte ramps up over the last few rows at an edge, so it is read 2 % of a face width inside.
    /// </summary>
    public static double TopCut(Mat alpha, Mat valid, double eyeX, double faceWidth, double chinY)
    {
        var a = alpha.AsSpan<float>();
        var v = valid.AsSpan<byte>();
        int w = alpha.Width, h = alpha.Height;
        var inset = Math.Max(2, (int)Math.Round(0.02 * faceWidth));
        int run = 0, longest = 0;
        for (var x = Math.Clamp((int)(eyeX - 0.6 * faceWidth), 0, w - 1); x <= Math.Clamp((int)(eyeX + 0.6 * faceWidth), 0, w - 1); x++)
        {
            var y = 0;
            while (y < h && v[y * w + x] == 0) y++;
            // Only an edge inside the output counts; the photo going on above the output is fine.
            var touches = y > 0 && y < chinY && a[Math.Min(h - 1, y + inset) * w + x] >= 0.5f;
            run = touches ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest / faceWidth;
    }

    /// <summary>How many output rows at the bottom the person is continued past the photo's bottom edge
    /// (a tight crop), the most over the torso's columns that the photo reaches at all.</summary>
    public static int ExtendedRows(Mat alpha, Mat valid, double eyeX, double faceWidth)
    {
        var a = alpha.AsSpan<float>();
        var v = valid.AsSpan<byte>();
        int w = alpha.Width, h = alpha.Height;
        var most = 0;
        for (var x = Math.Clamp((int)(eyeX - faceWidth), 0, w - 1); x <= Math.Clamp((int)(eyeX + faceWidth), 0, w - 1); x++)
        {
            var last = h - 1;
            while (last >= 0 && v[last * w + x] == 0) last--;
            if (last < 0) continue;
            var rows = 0;
            for (var y = last + 1; y < h; y++) if (a[y * w + x] >= 0.5f) rows++;
            most = Math.Max(most, rows);
        }
        return most;
    }

    /// <summary>Share of the output where the person is continued past the photo's left or right edge
    /// (below the chin; above it, what lies outside the photo is background).</summary>
    public static double ExtendedSides(Mat alpha, Mat valid, double chinY)
    {
        var a = alpha.AsSpan<float>();
        var v = valid.AsSpan<byte>();
        int w = alpha.Width, h = alpha.Height;
        var n = 0;
        for (var x = 0; x < w; x++)
        {
            var last = h - 1;
            while (last >= 0 && v[last * w + x] == 0) last--;
            for (var y = Math.Clamp((int)chinY, 0, h); y < h; y++)
                if (v[y * w + x] == 0 && y <= Math.Max(last, (int)chinY) && a[y * w + x] >= 0.5f) n++;
        }
        return n / (double)(w * h);
    }

    /// <summary>
    /// The colour that meets the new background below the chin: the median of the person's pixels
    /// within a tenth of a face width inside the outline of the shoulders. That edge is what must
    /// stand out (a white shirt under a dark jacket is fine; a white T-shirt on white is not).
    /// </summary>
    public static ClothingStats Clothing(Mat rgb, Mat alpha, double eyeX, double faceWidth, double top)
    {
        int w = rgb.Width, h = rgb.Height;
        using var person = new Mat();
        Cv2.Threshold(alpha, person, 0.5, 255, ThresholdTypes.Binary);
        person.ConvertTo(person, MatType.CV_8U);
        // Distance to the nearest background pixel; the output's own edges are not outline.
        using var padded = new Mat();
        Cv2.CopyMakeBorder(person, padded, 1, 1, 1, 1, BorderTypes.Constant, Scalar.All(255));
        using var distance = new Mat();
        Cv2.DistanceTransform(padded, distance, DistanceTypes.L2, DistanceTransformMasks.Mask3);
        var a = alpha.AsSpan<float>();
        var band = 0.1 * faceWidth;
        var pixels = new List<Vec3b>();
        int torso = 0, red = 0;
        for (var y = Math.Clamp((int)top, 0, h); y < h; y++)
            for (var x = 0; x < w; x++)
            {
                if (a[y * w + x] < 0.95f) continue;
                var p = rgb.At<Vec3b>(y, x);
                torso++;
                // Red clothing (the driving licence forbids it) is judged over the whole torso.
                if (p.Item0 > 110 && p.Item0 > 1.6 * p.Item1 && p.Item0 > 1.6 * p.Item2) red++;
                if (distance.At<float>(y + 1, x + 1) <= band) pixels.Add(p);
            }
        var redShare = torso == 0 ? 0 : (double)red / torso;
        if (pixels.Count == 0) return new ClothingStats(0, 0, 0, 0, redShare);
        double Median(Func<Vec3b, byte> channel) => pixels.Select(channel).Order().ElementAt(pixels.Count / 2);
        return new ClothingStats(pixels.Count, Median(p => p.Item0), Median(p => p.Item1), Median(p => p.Item2), redShare);
    }
}
