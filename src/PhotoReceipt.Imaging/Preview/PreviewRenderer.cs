using OpenCvSharp;
using PhotoReceipt.Imaging.Checks;
using PhotoReceipt.Imaging.Encoding;
using PhotoReceipt.Imaging.Framing;

namespace PhotoReceipt.Imaging.Preview;

/// <summary>
/// The reviewer's PNG: the photo at its own size (the console enlarges it without smoothing) with the spec windows as translucent bands (head top in
/// green, eye line in blue, centring in orange, face width in purple), the measured face box in
/// red, the eye line in blue, and hatching over any part continued past the source photo's edge.
/// </summary>
internal static class PreviewRenderer
{
    public static byte[] Render(Mat photo, SpecWindows windows, OutputGeometry g, Mat valid)
    {
        using var img = photo.Clone();
        Band(img, horizontal: true, windows.HeadTop, new Scalar(40, 200, 40));
        Band(img, horizontal: true, windows.EyeFromTop, new Scalar(40, 120, 230));
        Band(img, horizontal: false, windows.EyeCenterX, new Scalar(230, 160, 30));
        if (windows.FaceWidth is { } fw)
        {
            var c = photo.Width / 2.0;
            Band(img, horizontal: false, new Framing.Window(c - fw.Max / 2, c - fw.Min / 2), new Scalar(200, 40, 200));
            Band(img, horizontal: false, new Framing.Window(c + fw.Min / 2, c + fw.Max / 2), new Scalar(200, 40, 200));
        }
        Hatch(img, valid, g.Chin);
        Cv2.Rectangle(img, new Point(Round(g.FaceLeft), Round(g.HeadTop)), new Point(Round(g.FaceRight), Round(g.Chin)), new Scalar(230, 30, 30), 1);
        Cv2.Line(img, new Point(0, Round(g.EyeY)), new Point(photo.Width, Round(g.EyeY)), new Scalar(30, 60, 255), 1);
        Cv2.Line(img, new Point(Round(g.EyeX), Round(g.EyeY) - 8), new Point(Round(g.EyeX), Round(g.EyeY) + 8), new Scalar(30, 60, 255), 1);

        return LibPng.Encode(img);
    }

    private static int Round(double v) => (int)Math.Round(v);

    // A translucent band with solid edges marks an allowed window.
    private static void Band(Mat img, bool horizontal, Framing.Window w, Scalar colour)
    {
        var a = Math.Clamp(Round(w.Min), 0, (horizontal ? img.Height : img.Width) - 1);
        var b = Math.Clamp(Round(w.Max), a, (horizontal ? img.Height : img.Width) - 1);
        var rect = horizontal ? new Rect(0, a, img.Width, b - a + 1) : new Rect(a, 0, b - a + 1, img.Height);
        using (var roi = new Mat(img, rect))
        using (var tint = new Mat(roi.Size(), roi.Type(), colour))
            Cv2.AddWeighted(roi, 0.82, tint, 0.18, 0, roi);
        if (horizontal)
        {
            Cv2.Line(img, new Point(0, a), new Point(img.Width, a), colour, 1);
            Cv2.Line(img, new Point(0, b), new Point(img.Width, b), colour, 1);
        }
        else
        {
            Cv2.Line(img, new Point(a, 0), new Point(a, img.Height), colour, 1);
            Cv2.Line(img, new Point(b, 0), new Point(b, img.Height), colour, 1);
        }
    }

    /// <summary>Diagonal yellow hatching where the clothing was continued past the photo's edge (below the chin).</summary>
    private static void Hatch(Mat img, Mat valid, double chin)
    {
        var v = valid.AsSpan<byte>();
        int width = img.Width, height = img.Height;
        for (var y = Math.Max(0, Round(chin)); y < height; y++)
            for (var x = 0; x < width; x++)
                if (v[y * width + x] == 0 && (x + y) % 6 < 2) img.Set(y, x, new Vec3b(250, 210, 0));
    }
}
