using PhotoReceipt.Imaging.Vips;

namespace PhotoReceipt.Imaging.Tests;

/// <summary>Degraded and re-encoded versions of the fixtures, made with libvips through our own wrapper.</summary>
internal static class Variants
{
    private static VipsImage Load(byte[] bytes)
    {
        using var decoded = Pipeline.PhotoDecoder.Decode(bytes, long.MaxValue, int.MaxValue);
        return decoded.Master.CopyMemory();
    }

    private static byte[] Jpeg(VipsImage image, int quality = 90) => image.SaveAs("jpegsave_buffer", ("Q", quality));

    /// <summary>Enlarged so the long side is 4000 px and widened to 3:4 by repeating the edges.</summary>
    public static byte[] PhoneSized(byte[] portrait)
    {
        using var img = Load(portrait);
        var scale = 4000.0 / img.Height;
        using var big = img.Resize(scale);
        using var framed = big.Embed((3000 - big.Width) / 2, 0, 3000, 4000);
        return Jpeg(framed, 92);
    }

    /// <summary>4000×3000 landscape, the portrait centred, like a phone held sideways.</summary>
    public static byte[] Landscape4000x3000(byte[] portrait)
    {
        using var img = Load(portrait);
        using var big = img.Resize(3000.0 / img.Height);
        using var framed = big.Embed((4000 - big.Width) / 2, 0, 4000, 3000);
        return Jpeg(framed, 92);
    }

    /// <summary>Stored pixels plus an EXIF orientation tag that turns them back into the original.</summary>
    public static byte[] WithExifOrientation(byte[] portrait, int orientation)
    {
        using var img = Load(portrait);
        VipsImage Stored() => orientation switch
        {
            1 => img.Crop(0, 0, img.Width, img.Height),
            2 => img.Flip("horizontal"),
            3 => img.Rot("d180"),
            4 => img.Flip("vertical"),
            5 => Then(img.Rot("d90"), i => i.Flip("horizontal")),
            6 => img.Rot("d270"),
            7 => Then(img.Rot("d270"), i => i.Flip("horizontal")),
            8 => img.Rot("d90"),
            _ => throw new ArgumentOutOfRangeException(nameof(orientation)),
        };
        using var stored = Stored();
        using var tagged = stored.WithOrientation(orientation);
        return Jpeg(tagged);
    }

    public static byte[] Blurred(byte[] portrait, double sigma)
    {
        using var img = Load(portrait);
        using var blurred = img.GaussBlur(sigma);
        return Jpeg(blurred);
    }

    public static byte[] Darkened(byte[] portrait, double factor)
    {
        using var img = Load(portrait);
        using var dark = img.Linear(factor, 0);
        return Jpeg(dark);
    }

    public static byte[] SideBySide(byte[] left, byte[] right)
    {
        using var a = Load(left);
        using var b0 = Load(right);
        using var b = b0.Resize((double)a.Height / b0.Height);
        using var joined = a.JoinRight(b);
        return Jpeg(joined);
    }

    public static byte[] Rotated(byte[] portrait, double degrees)
    {
        using var img = Load(portrait);
        using var rotated = img.Rotate(degrees);
        return Jpeg(rotated);
    }

    public static byte[] Cropped(byte[] portrait, double top, double bottom)
    {
        using var img = Load(portrait);
        var y0 = (int)(img.Height * top);
        var y1 = (int)(img.Height * bottom);
        using var crop = img.Crop(0, y0, img.Width, y1 - y0);
        return Jpeg(crop);
    }

    public static byte[] Shrunk(byte[] portrait, double scale)
    {
        using var img = Load(portrait);
        using var small = img.Resize(scale);
        return Jpeg(small);
    }

    public static byte[] Progressive(byte[] portrait)
    {
        using var img = Load(portrait);
        return img.SaveAs("jpegsave_buffer", ("Q", 90), ("interlace", true));
    }

    public static byte[] Cmyk(byte[] portrait)
    {
        using var img = Load(portrait);
        using var cmyk = img.IccExport("cmyk");
        return Jpeg(cmyk);
    }

    public static byte[] WebP(byte[] portrait)
    {
        using var img = Load(portrait);
        return img.SaveAs("webpsave_buffer", ("Q", 90));
    }

    /// <summary>The left half (as seen) darkened to a third: light from one side only.</summary>
    public static byte[] OneSidedLight(byte[] portrait)
    {
        using var img = Load(portrait);
        using var left = img.Crop(0, 0, img.Width / 2, img.Height);
        using var dark = left.Linear(0.35, 0);
        using var lit = img.Insert(dark, 0, 0);
        return Jpeg(lit);
    }

    public static byte[] Greyscale(byte[] portrait)
    {
        using var img = Load(portrait);
        using var grey = img.Colourspace("b-w");
        return Jpeg(grey);
    }

    public static byte[] Heic(byte[] portrait)
    {
        using var img = Load(portrait);
        return img.SaveAs("heifsave_buffer", ("Q", 80), ("compression", "hevc"));
    }

    /// <summary>PNG whose alpha is zero everywhere: a correct decoder shows plain white.</summary>
    public static byte[] TransparentPng(byte[] portrait)
    {
        using var img = Load(portrait);
        using var withAlpha = img.BandJoinConst(255);
        using var clear = withAlpha.LinearBands([1, 1, 1, 0], [0, 0, 0, 0]);
        return clear.PngSave();
    }

    /// <summary>Red boosted, green and blue cut: dark clothes become clearly red.</summary>
    public static byte[] RedTinted(byte[] photo)
    {
        using var img = Load(photo);
        using var red = img.LinearBands([1.0, 0.35, 0.35], [120, 0, 0]);
        return Jpeg(red);
    }

    private static VipsImage Then(VipsImage first, Func<VipsImage, VipsImage> next)
    {
        using (first) return next(first);
    }
}
