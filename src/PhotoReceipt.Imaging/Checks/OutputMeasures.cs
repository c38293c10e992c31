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
    /// <summary>First row from the top where a fifth of the head's central columns are person (alpha ≥ ½).</summary>
    public static double? HeadTop(Mat alpha, double eyeX, double faceWidth, double below)
    {
        var a = alpha.AsSpan<float>();
        int w = alpha.Width;
        var x0 = Math.Clamp((int)(eyeX - 0.25 * faceWidth), 0, w - 1);
        var x1 = Math.Clamp((int)(eyeX + 0.25 * faceWidth), 0, w - 1);
        var needed = Math.Max(1, (x1 - x0 + 1) / 5);
        var last = Math.Clamp((int)below, 0, alpha.Height - 1);
        for (var y = 0; y <= last; y++)
        {
            var count = 0;
            for (var x = x0; x <= x1; x++) if (a[y * w + x] >= 0.5f) count++;
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

    /// <summary>How many output rows at the bottom the person is continued past the photo's edge
    /// (a tight crop), the most over the torso's columns.</summary>
    public static int ExtendedRows(Mat alpha, Mat valid, double eyeX, double faceWidth)
    {
        var a = alpha.AsSpan<float>();
        var v = valid.AsSpan<byte>();
        int w = alpha.Width, h = alpha.Height;
        var most = 0;
        for (var x = Math.Clamp((int)(eyeX - faceWidth), 0, w - 1); x <= Math.Clamp((int)(eyeX + faceWidth), 0, w - 1); x++)
        {
            var rows = 0;
            for (var y = h - 1; y >= 0 && v[y * w + x] == 0; y--) if (a[y * w + x] >= 0.5f) rows++;
            most = Math.Max(most, rows);
        }
        return most;
    }

    /// <summary>Share of the output (below the chin) where the person is continued past the photo's edges.</summary>
    public static double ExtendedArea(Mat alpha, Mat valid, double chinY)
    {
        var a = alpha.AsSpan<float>();
        var v = valid.AsSpan<byte>();
        int w = alpha.Width, h = alpha.Height;
        var n = 0;
        for (var y = Math.Clamp((int)chinY, 0, h); y < h; y++)
            for (var x = 0; x < w; x++)
                if (v[y * w + x] == 0 && a[y * w + x] >= 0.5f) n++;
        return n / (double)(w * h);
    }

    /// <summary>Mean colour of the clothing: below the chin, within a face width of the centre, fully person.</summary>
    public static ClothingStats Clothing(Mat rgb, Mat alpha, double eyeX, double faceWidth, double top)
    {
        var a = alpha.AsSpan<float>();
        int w = rgb.Width, h = rgb.Height;
        double sr = 0, sg = 0, sb = 0;
        int n = 0, red = 0;
        for (var y = Math.Clamp((int)top, 0, h); y < h; y++)
        {
            for (var x = Math.Clamp((int)(eyeX - 0.9 * faceWidth), 0, w - 1); x <= Math.Clamp((int)(eyeX + 0.9 * faceWidth), 0, w - 1); x++)
            {
                if (a[y * w + x] < 0.95f) continue;
                var p = rgb.At<Vec3b>(y, x);
                sr += p.Item0; sg += p.Item1; sb += p.Item2; n++;
                if (p.Item0 > 110 && p.Item0 > 1.6 * p.Item1 && p.Item0 > 1.6 * p.Item2) red++;
            }
        }
        return n == 0 ? new ClothingStats(0, 0, 0, 0, 0) : new ClothingStats(n, sr / n, sg / n, sb / n, (double)red / n);
    }
}
