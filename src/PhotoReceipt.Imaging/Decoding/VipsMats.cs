using System.Runtime.InteropServices;
using NetVips;
using OpenCvSharp;

namespace PhotoReceipt.Imaging.Decoding;

/// <summary>Pixels between libvips (decoding; the benchmark's contact sheets) and OpenCV (models, filters, warps).</summary>
internal static class VipsMats
{
    /// <summary>
    /// 8-bit sRGB with three bands (alpha flattened onto white: libvips defaults to black), copied into
    /// a Mat top to bottom, a strip of rows at a time, computed on the calling thread. (Writing to
    /// memory would hand every tile to a libvips worker and wait for it: with two photos in flight,
    /// those hand-offs left a tenth of the two cores idle.)
    /// </summary>
    public static Mat ToRgbMat(Image image)
    {
        using var rgb = ToSrgb8(image);
        var mat = new Mat(rgb.Height, rgb.Width, MatType.CV_8UC3);
        try
        {
            using var region = Region.New(rgb);
            var rowBytes = rgb.Width * 3;
            var strip = Math.Max(1, StripBytes / rowBytes);
            for (var top = 0; top < rgb.Height; top += strip)
            {
                var rows = Math.Min(strip, rgb.Height - top);
                var bytes = region.Fetch(0, top, rgb.Width, rows);
                Marshal.Copy(bytes, 0, mat.Data + (nint)top * rowBytes, rows * rowBytes);
            }
            return mat;
        }
        catch
        {
            mat.Dispose();
            throw;
        }
    }

    // Under the large-object heap's 85 000 bytes: each strip's array is a cheap, short-lived allocation.
    private const int StripBytes = 64 * 1024;

    public static Image ToSrgb8(Image image)
    {
        var current = image.Interpretation == Enums.Interpretation.Srgb ? image.Copy() : image.Colourspace(Enums.Interpretation.Srgb);
        if (current.HasAlpha())
            Replace(ref current, current.Flatten(background: [255.0, 255.0, 255.0]));
        if (current.Bands > 3) Replace(ref current, current.ExtractBand(0, n: 3));
        if (current.Bands == 1) Replace(ref current, current.Bandjoin(current, current));
        if (current.Format != Enums.BandFormat.Uchar) Replace(ref current, current.Cast(Enums.BandFormat.Uchar));
        return current;
    }

    /// <summary>A continuous 8-bit Mat (1 or 3 channels) as a libvips image (copied).</summary>
    public static Image ToImage(Mat mat)
    {
        using var continuous = mat.IsContinuous() ? null : mat.Clone();
        var m = continuous ?? mat;
        return Image.NewFromMemoryCopy(m.Data, (ulong)(m.Total() * m.ElemSize()), m.Width, m.Height, m.Channels(), Enums.BandFormat.Uchar);
    }

    private static void Replace(ref Image current, Image next)
    {
        current.Dispose();
        current = next;
    }
}
