using NetVips;

namespace PhotoReceipt.Testing;

/// <summary>
/// Packed 8-bit RGB pixels of an image the app produced (JPEG, PNG…), decoded by libvips in the
/// test so that assertions read the file as any viewer would: upright, sRGB, alpha on white.
/// </summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        if (pixels.Length < width * height * 3) throw new ArgumentException("pixel buffer too small", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public int Channels => 3;
    public byte[] Pixels { get; }

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var i = (y * Width + x) * 3;
            return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
    }

    /// <summary>Rec. 601 luma of one pixel.</summary>
    public double Luma(int x, int y)
    {
        var i = (y * Width + x) * 3;
        return 0.299 * Pixels[i] + 0.587 * Pixels[i + 1] + 0.114 * Pixels[i + 2];
    }

    public static RgbImage Decode(byte[] file)
    {
        using var loaded = Image.NewFromBuffer(file);
        using var upright = loaded.Autorot();
        return From(upright);
    }

    /// <summary>The image resized by libvips to exactly width×height.</summary>
    public static RgbImage Scaled(byte[] file, int width, int height)
    {
        using var scaled = Image.ThumbnailBuffer(file, width, height: height, size: Enums.Size.Force);
        return From(scaled);
    }

    private static RgbImage From(Image image)
    {
        using var srgb = image.Colourspace(Enums.Interpretation.Srgb);
        using var flat = srgb.HasAlpha() ? srgb.Flatten(background: [255.0, 255.0, 255.0]) : srgb.Copy();
        using var three = flat.Bands == 1 ? flat.Bandjoin(flat, flat) : flat.ExtractBand(0, n: 3);
        using var bytes = three.Cast(Enums.BandFormat.Uchar);
        return new RgbImage(bytes.Width, bytes.Height, bytes.WriteToMemory<byte>());
    }

    /// <summary>Mean absolute difference per channel between two same-sized images.</summary>
    public static double MeanAbsDiff(RgbImage a, RgbImage b)
    {
        if (a.Width != b.Width || a.Height != b.Height) throw new ArgumentException($"sizes differ: {a.Width}×{a.Height} and {b.Width}×{b.Height}");
        long sum = 0;
        for (var i = 0; i < a.Pixels.Length; i++) sum += Math.Abs(a.Pixels[i] - b.Pixels[i]);
        return (double)sum / a.Pixels.Length;
    }
}
