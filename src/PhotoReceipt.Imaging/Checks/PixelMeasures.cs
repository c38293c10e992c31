using PhotoReceipt.Imaging.Pipeline;

namespace PhotoReceipt.Imaging.Checks;

/// <summary>An integer pixel rectangle, clipped to an image when measured.</summary>
internal readonly record struct PixelRect(int X0, int Y0, int X1, int Y1)
{
    public static PixelRect Clip(double x0, double y0, double x1, double y1, RgbImage image) => new(
        Math.Clamp((int)Math.Floor(x0), 0, image.Width - 1), Math.Clamp((int)Math.Floor(y0), 0, image.Height - 1),
        Math.Clamp((int)Math.Ceiling(x1), 0, image.Width - 1), Math.Clamp((int)Math.Ceiling(y1), 0, image.Height - 1));
    public bool IsEmpty => X1 <= X0 || Y1 <= Y0;
}

/// <summary>Clothing measured below the chin, where the matte says the person is.</summary>
internal readonly record struct ClothingStats(int Pixels, double R, double G, double B, double RedFraction)
{
    public double Luma => 0.299 * R + 0.587 * G + 0.114 * B;
}

/// <summary>Pixel statistics behind the check report.</summary>
internal static class PixelMeasures
{
    /// <summary>First row from the top where at least 20 % of the columns cx ± half are person.</summary>
    public static double? HeadTop(RgbImage mask, double cx, double half, double below)
    {
        var x0 = Math.Clamp((int)(cx - half), 0, mask.Width - 1);
        var x1 = Math.Clamp((int)(cx + half), 0, mask.Width - 1);
        var needed = Math.Max(1, (x1 - x0 + 1) / 5);
        var yEnd = Math.Clamp((int)below, 0, mask.Height - 1);
        for (var y = 0; y <= yEnd; y++)
        {
            var count = 0;
            var row = y * mask.Width;
            for (var x = x0; x <= x1; x++) if (mask.Pixels[row + x] >= 128) count++;
            if (count >= needed) return y;
        }
        return null;
    }

    /// <summary>
    /// Ear-to-ear width: the median, over the rows from eye level (landmark 0) to the nose
    /// (landmark 2), of the run of person pixels through the face centre. The jaw landmarks sit
    /// inside the ears, so the jaw width is the floor; hair spread beyond 1.3× it is ignored.
    /// </summary>
    public static double HeadWidth(RgbImage mask, double cx, double y0, double y1, double jawWidth)
    {
        var widths = new List<int>();
        var x = Math.Clamp((int)Math.Round(cx), 0, mask.Width - 1);
        for (var y = Math.Max(0, (int)y0); y <= Math.Min(mask.Height - 1, (int)y1); y++)
        {
            var row = y * mask.Width;
            if (mask.Pixels[row + x] < 128) continue;
            int l = x, r = x;
            while (l > 0 && mask.Pixels[row + l - 1] >= 128) l--;
            while (r < mask.Width - 1 && mask.Pixels[row + r + 1] >= 128) r++;
            widths.Add(r - l + 1);
        }
        if (widths.Count == 0) return jawWidth;
        widths.Sort();
        return Math.Clamp(widths[widths.Count / 2], jawWidth, 1.3 * jawWidth);
    }

    /// <summary>
    /// How busy the wall is: mean luma gradient (|dx| + |dy|) over background pixels whose
    /// neighbours are background too, and the luma spread (std) of those pixels (gradients, shadows).
    /// </summary>
    public static (double Gradient, double Spread, int Pixels) Background(RgbImage rgb, RgbImage mask)
    {
        int w = rgb.Width, h = rgb.Height;
        double sumGrad = 0, sum = 0, sumSq = 0;
        var n = 0;
        const int r = 2;
        for (var y = r; y < h - r; y++)
        {
            for (var x = r; x < w - r; x++)
            {
                if (mask.Pixels[y * w + x] != 0 || mask.Pixels[(y - r) * w + x] != 0 || mask.Pixels[(y + r) * w + x] != 0 ||
                    mask.Pixels[y * w + x - r] != 0 || mask.Pixels[y * w + x + r] != 0) continue;
                var l = rgb.Luma(x, y);
                sumGrad += Math.Abs(rgb.Luma(x + 1, y) - l) + Math.Abs(rgb.Luma(x, y + 1) - l);
                sum += l;
                sumSq += l * l;
                n++;
            }
        }
        if (n == 0) return (0, 0, 0);
        var mean = sum / n;
        return (sumGrad / n, Math.Sqrt(Math.Max(0, sumSq / n - mean * mean)), n);
    }

    public static double MeanLuma(RgbImage rgb, PixelRect r)
    {
        double sum = 0;
        var n = 0;
        for (var y = r.Y0; y <= r.Y1; y++)
            for (var x = r.X0; x <= r.X1; x++) { sum += rgb.Luma(x, y); n++; }
        return n == 0 ? 0 : sum / n;
    }

    /// <summary>Variance of the 4-neighbour Laplacian of luma: falls sharply when the photo is blurred.</summary>
    public static double Sharpness(RgbImage rgb, PixelRect r)
    {
        double sum = 0, sumSq = 0;
        var n = 0;
        for (var y = Math.Max(1, r.Y0); y <= Math.Min(rgb.Height - 2, r.Y1); y++)
        {
            for (var x = Math.Max(1, r.X0); x <= Math.Min(rgb.Width - 2, r.X1); x++)
            {
                var lap = rgb.Luma(x - 1, y) + rgb.Luma(x + 1, y) + rgb.Luma(x, y - 1) + rgb.Luma(x, y + 1) - 4 * rgb.Luma(x, y);
                sum += lap;
                sumSq += lap * lap;
                n++;
            }
        }
        if (n == 0) return 0;
        var mean = sum / n;
        return sumSq / n - mean * mean;
    }

    public static ClothingStats Clothing(RgbImage rgb, RgbImage alpha, PixelRect r)
    {
        double sr = 0, sg = 0, sb = 0;
        int n = 0, red = 0;
        for (var y = r.Y0; y <= r.Y1; y++)
        {
            for (var x = r.X0; x <= r.X1; x++)
            {
                if (alpha.Pixels[y * alpha.Width + x] < 230) continue;
                var i = (y * rgb.Width + x) * 3;
                int pr = rgb.Pixels[i], pg = rgb.Pixels[i + 1], pb = rgb.Pixels[i + 2];
                sr += pr; sg += pg; sb += pb; n++;
                if (pr > 110 && pr > 1.6 * pg && pr > 1.6 * pb) red++;
            }
        }
        return n == 0 ? new ClothingStats(0, 0, 0, 0, 0) : new ClothingStats(n, sr / n, sg / n, sb / n, (double)red / n);
    }
}
