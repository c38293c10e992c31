using PhotoReceipt.Imaging.Pipeline;
using PhotoReceipt.Imaging.Vips;

namespace PhotoReceipt.Imaging.Preview;

/// <summary>Measured geometry of the finished photo, in output pixels.</summary>
internal sealed record OutputGeometry(double FaceLeft, double FaceRight, double HeadTop, double Chin, double EyeY, double EyeX, double EyeDistance)
{
    public double FaceWidth => FaceRight - FaceLeft;
    public double HeadHeight => Chin - HeadTop;
}

/// <summary>
/// The reviewer's PNG: the photo at 2× with the spec windows as translucent bands (head top,
/// eye line, centring), the measured face box in red and the eye line in blue.
/// </summary>
internal static class PreviewRenderer
{
    // Drawn at 1×, then enlarged by libvips (nearest neighbour) so reviewers see pixels, not blur.
    private const int Enlarge = 2;

    public static byte[] Render(RgbImage photo, SpecWindows windows, OutputGeometry g)
    {
        var img = new RgbImage(photo.Width, photo.Height, 3, (byte[])photo.Pixels.Clone());

        Band(img, horizontal: true, windows.HeadTop, (40, 200, 40));
        Band(img, horizontal: true, windows.EyeFromTop, (40, 120, 230));
        Band(img, horizontal: false, windows.EyeCenterX, (230, 160, 30));
        if (windows.FaceWidth is { } fw)
        {
            var c = photo.Width / 2.0;
            Band(img, horizontal: false, new Window(c - fw.Max / 2, c - fw.Min / 2), (200, 40, 200));
            Band(img, horizontal: false, new Window(c + fw.Min / 2, c + fw.Max / 2), (200, 40, 200));
        }
        Rect(img, g.FaceLeft, g.HeadTop, g.FaceRight, g.Chin, (230, 30, 30));
        Line(img, 0, g.EyeY, photo.Width, g.EyeY, (30, 60, 255));
        Line(img, g.EyeX, g.EyeY - 8, g.EyeX, g.EyeY + 8, (30, 60, 255));

        using var v = VipsImage.FromPixels(img.Pixels, img.Width, img.Height, 3);
        using var big = v.Zoom(Enlarge);
        return big.PngSave();
    }

    // A translucent band with solid edges marks an allowed window.
    private static void Band(RgbImage img, bool horizontal, Window w, (int R, int G, int B) c)
    {
        var a = (int)Math.Round(w.Min);
        var b = (int)Math.Round(w.Max);
        var length = horizontal ? img.Width : img.Height;
        for (var t = a; t <= b; t++)
        {
            for (var s = 0; s < length; s++)
            {
                var (x, y) = horizontal ? (s, t) : (t, s);
                var edge = t == a || t == b;
                Blend(img, x, y, c, edge ? 1.0 : 0.18);
            }
        }
    }

    private static void Rect(RgbImage img, double x0, double y0, double x1, double y1, (int, int, int) c)
    {
        Line(img, x0, y0, x1, y0, c); Line(img, x1, y0, x1, y1, c);
        Line(img, x1, y1, x0, y1, c); Line(img, x0, y1, x0, y0, c);
    }

    private static void Line(RgbImage img, double x0, double y0, double x1, double y1, (int, int, int) c)
    {
        var steps = (int)Math.Ceiling(Math.Max(Math.Abs(x1 - x0), Math.Abs(y1 - y0))) + 1;
        for (var i = 0; i <= steps; i++)
        {
            var x = (int)Math.Round((x0 + (x1 - x0) * i / steps));
            var y = (int)Math.Round((y0 + (y1 - y0) * i / steps));
            Blend(img, x, y, c, 1);
        }
    }

    private static void Blend(RgbImage img, int x, int y, (int R, int G, int B) c, double a)
    {
        if (x < 0 || y < 0 || x >= img.Width || y >= img.Height) return;
        var i = (y * img.Width + x) * 3;
        img.Pixels[i] = (byte)(img.Pixels[i] * (1 - a) + c.R * a);
        img.Pixels[i + 1] = (byte)(img.Pixels[i + 1] * (1 - a) + c.G * a);
        img.Pixels[i + 2] = (byte)(img.Pixels[i + 2] * (1 - a) + c.B * a);
    }
}
