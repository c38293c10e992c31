using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Imaging.Detection;
using PhotoReceipt.Imaging.Pipeline;

namespace PhotoReceipt.Imaging.Tests;

/// <summary>Geometry measured independently on a finished photo: the detector run again on the
/// decoded JPEG, and the head top found where the plain background colour ends.</summary>
internal sealed record OutputMeasurement(int Faces, double FaceWidth, double EyeY, double EyeX, double HeadTop, double Chin, double RollDeg)
{
    public double HeadHeight => Chin - HeadTop;

    public static OutputMeasurement Measure(byte[] jpeg, RgbColour background, FaceDetectorPool detectors)
    {
        var rgb = PipelineFixture.DecodeRgb(jpeg);
        var (faces, seen) = detectors.Detect(rgb);
        Assert.True(seen >= 1, "no face found on the output");
        var f = faces[0];
        return new OutputMeasurement(seen, HeadWidth(rgb, background, f), f.EyeMid.Y, f.EyeMid.X, FindHeadTop(rgb, background, f), f.Chin.Y, f.Roll * 180 / Math.PI);
    }

    /// <summary>First row, scanning down, where a quarter of the face columns differ from the background.</summary>
    private static double FindHeadTop(RgbImage rgb, RgbColour bg, FaceLandmarks f)
    {
        var x0 = (int)(f.EyeMid.X - 0.25 * f.FaceWidth);
        var x1 = (int)(f.EyeMid.X + 0.25 * f.FaceWidth);
        for (var y = 0; y < rgb.Height; y++)
        {
            var n = 0;
            for (var x = x0; x <= x1; x++)
            {
                var i = (y * rgb.Width + x) * 3;
                var d = Math.Abs(rgb.Pixels[i] - bg.R) + Math.Abs(rgb.Pixels[i + 1] - bg.G) + Math.Abs(rgb.Pixels[i + 2] - bg.B);
                if (d > 60) n++;
            }
            if (n >= (x1 - x0 + 1) / 5) return y;
        }
        return rgb.Height;
    }

    /// <summary>Ear-to-ear: median run of non-background pixels through the face centre from eye
    /// level to the nose, bounded like the pipeline's definition (jaw width to 1.3× it).</summary>
    private static double HeadWidth(RgbImage rgb, RgbColour bg, FaceLandmarks f)
    {
        bool Person(int x, int y)
        {
            var i = (y * rgb.Width + x) * 3;
            return Math.Abs(rgb.Pixels[i] - bg.R) + Math.Abs(rgb.Pixels[i + 1] - bg.G) + Math.Abs(rgb.Pixels[i + 2] - bg.B) > 60;
        }
        // Outermost person pixels within 0.8 jaw widths of the centre (highlights on the skin can
        // look like a white wall, so the row is scanned from the outside in).
        var widths = new List<int>();
        var cx = (int)Math.Round(f.EyeMid.X);
        var reach = (int)(0.8 * f.FaceWidth);
        for (var y = (int)f.Points[0].Y; y <= (int)f.Points[2].Y; y++)
        {
            var l = Math.Max(0, cx - reach);
            while (l < cx && !Person(l, y)) l++;
            var r = Math.Min(rgb.Width - 1, cx + reach);
            while (r > cx && !Person(r, y)) r--;
            widths.Add(r - l + 1);
        }
        widths.Sort();
        return Math.Clamp(widths[widths.Count / 2], f.FaceWidth, 1.3 * f.FaceWidth);
    }

    /// <summary>Mean absolute difference per channel between two same-sized images.</summary>
    public static double MeanAbsDiff(RgbImage a, RgbImage b)
    {
        Assert.Equal(a.Width, b.Width);
        Assert.Equal(a.Height, b.Height);
        long sum = 0;
        for (var i = 0; i < a.Pixels.Length; i++) sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        return (double)sum / a.Pixels.Length;
    }
}
