using OpenCvSharp;
using PhotoReceipt.Imaging.Geometry;

namespace PhotoReceipt.Imaging.Matting;

/// <summary>Resampling a rotated, scaled rectangle out of a larger image without aliasing.</summary>
internal static class Warp
{
    /// <summary>
    /// The pixels of <paramref name="source"/> seen through <paramref name="toTarget"/> into a
    /// width×height image. Large reductions go through an area-averaging resize of just the
    /// region needed (warpAffine's bilinear sampling alone would alias hair and fabric); what lies
    /// outside the source repeats its edge (<paramref name="border"/>) and is reported in
    /// <paramref name="valid"/> when asked for (255 inside the source, 0 outside).
    /// </summary>
    public static Mat Image(Mat source, Affine toTarget, int width, int height, BorderTypes border, Mat? valid = null)
    {
        var scale = Math.Min(Math.Sqrt(toTarget.A * toTarget.A + toTarget.D * toTarget.D), Math.Sqrt(toTarget.B * toTarget.B + toTarget.E * toTarget.E));
        var back = toTarget.Invert();
        var corners = new[] { new PointD(0, 0), new PointD(width, 0), new PointD(0, height), new PointD(width, height) }.Select(back.Apply).ToArray();
        var pad = 3 / Math.Min(1, scale);
        var x0 = Math.Clamp((int)Math.Floor(corners.Min(c => c.X) - pad), 0, source.Width - 1);
        var y0 = Math.Clamp((int)Math.Floor(corners.Min(c => c.Y) - pad), 0, source.Height - 1);
        var x1 = Math.Clamp((int)Math.Ceiling(corners.Max(c => c.X) + pad), x0 + 1, source.Width);
        var y1 = Math.Clamp((int)Math.Ceiling(corners.Max(c => c.Y) + pad), y0 + 1, source.Height);
        using var region = new Mat(source, new Rect(x0, y0, x1 - x0, y1 - y0));

        Mat input;
        Affine fromInput;
        if (scale < 0.8)
        {
            var w = Math.Max(1, (int)Math.Round(region.Width * scale));
            var h = Math.Max(1, (int)Math.Round(region.Height * scale));
            input = new Mat();
            Cv2.Resize(region, input, new Size(w, h), 0, 0, InterpolationFlags.Area);
            // OpenCV's resize maps pixel centres: region x = (x + 0.5)·(W/w) − 0.5.
            double kx = (double)region.Width / w, ky = (double)region.Height / h;
            fromInput = new Affine(kx, 0, x0 + 0.5 * kx - 0.5, 0, ky, y0 + 0.5 * ky - 0.5);
        }
        else
        {
            input = region.Clone();
            fromInput = Affine.Translate(x0, y0);
        }
        using (input)
        {
            var map = Affine.Compose(toTarget, fromInput);
            using var m = map.ToMat();
            var result = new Mat();
            Cv2.WarpAffine(input, result, m, new Size(width, height), InterpolationFlags.Linear, border);
            if (valid is not null) Cover(valid, back, width, height, source.Width, source.Height);
            return result;
        }
    }

    /// <summary>255 where the target pixel's centre maps inside the source, else 0.</summary>
    private static void Cover(Mat valid, Affine back, int width, int height, int sourceWidth, int sourceHeight)
    {
        valid.Create(height, width, MatType.CV_8UC1);
        var v = valid.AsSpan<byte>();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var p = back.Apply(new PointD(x, y));
                v[y * width + x] = p.X >= -0.5 && p.Y >= -0.5 && p.X <= sourceWidth - 0.5 && p.Y <= sourceHeight - 0.5 ? (byte)255 : (byte)0;
            }
        }
    }
}
