using OpenCvSharp;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Imaging.Decoding;
using PhotoReceipt.Imaging.Geometry;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Imaging.Tests;

/// <summary>
/// Geometry measured again on a finished photo, from the file alone: the face found afresh by the
/// detector and the mesh on the decoded JPEG, and the head top where the plain background colour
/// ends above the head (not the pipeline's own matte).
/// </summary>
internal sealed record OutputMeasurement(int Faces, double FaceWidth, double EyeY, double EyeX, double HeadTop, double Chin, double RollDeg)
{
    public double HeadHeight => Chin - HeadTop;

    public static OutputMeasurement Measure(byte[] jpeg, RgbColour background, PhotoPipeline pipeline)
    {
        using var decoded = PhotoDecoder.Decode(jpeg, long.MaxValue, int.MaxValue);
        var models = pipeline.Models.Rent();
        try
        {
            var faces = models.FarFaces.Detect(decoded.Rgb);
            if (faces.Count == 0) faces = models.NearFaces.Detect(decoded.Rgb);
            Assert.True(faces.Count >= 1, "no face found on the output");
            var mesh = models.Mesh.Run(decoded.Rgb, faces.OrderByDescending(f => f.Width).First());
            var rgb = RgbImage.Decode(jpeg);
            return new OutputMeasurement(faces.Count, HeadWidth(rgb, background, mesh), mesh.EyeMid.Y, mesh.EyeMid.X,
                FindHeadTop(rgb, background, mesh), mesh[FaceMesh.Chin].Y, mesh.Roll * 180 / Math.PI);
        }
        finally
        {
            pipeline.Models.Return(models);
        }
    }

    /// <summary>Across the ears: the median, over the rows from the eyes to the nose tip, of the outermost
    /// non-background pixels within 0.8 cheek widths of the centre (scanned from outside in, so bright skin is
    /// not mistaken for wall), bounded like the specs' definition: the cheeks to 1.3× them.</summary>
    private static double HeadWidth(RgbImage rgb, RgbColour bg, FaceMesh mesh)
    {
        bool Person(int x, int y)
        {
            var (r, g, b) = rgb[x, y];
            return Math.Abs(r - bg.R) + Math.Abs(g - bg.G) + Math.Abs(b - bg.B) > 60;
        }
        var widths = new List<int>();
        var cx = (int)Math.Round(mesh.EyeMid.X);
        var reach = (int)(0.8 * mesh.FaceWidth);
        for (var y = (int)mesh.EyeMid.Y; y <= (int)mesh[FaceMesh.NoseTip].Y; y++)
        {
            var l = Math.Max(0, cx - reach);
            while (l < cx && !Person(l, y)) l++;
            var r = Math.Min(rgb.Width - 1, cx + reach);
            while (r > cx && !Person(r, y)) r--;
            widths.Add(r - l + 1);
        }
        widths.Sort();
        return Math.Clamp(widths[widths.Count / 2], mesh.FaceWidth, 1.3 * mesh.FaceWidth);
    }

    /// <summary>First row, scanning down, where a fifth of the central head columns differ from the background.</summary>
    private static double FindHeadTop(RgbImage rgb, RgbColour bg, FaceMesh mesh)
    {
        var x0 = (int)(mesh.EyeMid.X - 0.25 * mesh.FaceWidth);
        var x1 = (int)(mesh.EyeMid.X + 0.25 * mesh.FaceWidth);
        for (var y = 0; y < rgb.Height; y++)
        {
            var n = 0;
            for (var x = x0; x <= x1; x++)
            {
                var (r, g, b) = rgb[x, y];
                if (Math.Abs(r - bg.R) + Math.Abs(g - bg.G) + Math.Abs(b - bg.B) > 60) n++;
            }
            if (n >= (x1 - x0 + 1) / 5) return y;
        }
        return rgb.Height;
    }
}
