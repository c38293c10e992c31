using NetVips;

namespace PhotoReceipt.Imaging.Tests;

/// <summary>Degraded and re-encoded versions of the fixtures, made with libvips.</summary>
internal static class Variants
{
    private static Image Load(byte[] bytes)
    {
        using var loaded = Image.NewFromBuffer(bytes);
        using var upright = loaded.Autorot();
        using var srgb = upright.Colourspace(Enums.Interpretation.Srgb);
        using var flat = srgb.HasAlpha() ? srgb.Flatten(background: [255.0, 255.0, 255.0]) : srgb.Copy();
        return flat.Cast(Enums.BandFormat.Uchar).CopyMemory();
    }

    private static byte[] Jpeg(Image image, int quality = 90) => image.JpegsaveBuffer(q: quality);

    /// <summary>Enlarged so the long side is 4000 px and widened to 3:4 by repeating the edges.</summary>
    public static byte[] PhoneSized(byte[] portrait)
    {
        using var img = Load(portrait);
        using var big = img.Resize(4000.0 / img.Height);
        using var framed = big.Embed((3000 - big.Width) / 2, 0, 3000, 4000, extend: Enums.Extend.Copy);
        return Jpeg(framed, 92);
    }

    /// <summary>4000×3000 landscape, the portrait centred, like a phone held sideways.</summary>
    public static byte[] Landscape4000x3000(byte[] portrait)
    {
        using var img = Load(portrait);
        using var big = img.Resize(3000.0 / img.Height);
        using var framed = big.Embed((4000 - big.Width) / 2, 0, 4000, 3000, extend: Enums.Extend.Copy);
        return Jpeg(framed, 92);
    }

    /// <summary>Stored pixels plus an EXIF orientation tag that turns them back into the original.</summary>
    public static byte[] WithExifOrientation(byte[] portrait, int orientation)
    {
        using var img = Load(portrait);
        using var stored = orientation switch
        {
            1 => img.Copy(),
            2 => img.FlipHor(),
            3 => img.Rot180(),
            4 => img.FlipVer(),
            5 => Then(img.Rot90(), i => i.FlipHor()),
            6 => img.Rot270(),
            7 => Then(img.Rot270(), i => i.FlipHor()),
            8 => img.Rot90(),
            _ => throw new ArgumentOutOfRangeException(nameof(orientation)),
        };
        using var tagged = stored.Mutate(m => m.Set(GValue.GIntType, "orientation", orientation));
        return (byte[])Operation.Call("jpegsave_buffer", new VOption { { "Q", 90 } }, tagged);
    }

    public static byte[] Blurred(byte[] portrait, double sigma)
    {
        using var img = Load(portrait);
        using var blurred = img.Gaussblur(sigma);
        return Jpeg(blurred);
    }

    public static byte[] Darkened(byte[] portrait, double factor)
    {
        using var img = Load(portrait);
        using var dark = img.Linear([factor], [0.0], uchar: true);
        return Jpeg(dark);
    }

    public static byte[] SideBySide(byte[] left, byte[] right)
    {
        using var a = Load(left);
        using var b0 = Load(right);
        using var b = b0.Resize((double)a.Height / b0.Height);
        using var joined = a.Join(b, Enums.Direction.Horizontal, expand: true, background: [255.0]);
        return Jpeg(joined);
    }

    public static byte[] Rotated(byte[] portrait, double degrees)
    {
        using var img = Load(portrait);
        using var rotated = img.Rotate(degrees, background: [255.0, 255.0, 255.0]);
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
        return img.JpegsaveBuffer(q: 90, interlace: true);
    }

    public static byte[] Cmyk(byte[] portrait)
    {
        using var img = Load(portrait);
        using var cmyk = img.IccExport(outputProfile: "cmyk");
        return Jpeg(cmyk);
    }

    public static byte[] WebP(byte[] portrait)
    {
        using var img = Load(portrait);
        return img.WebpsaveBuffer(q: 90);
    }

    /// <summary>The left half (as seen) darkened to a third: light from one side only.</summary>
    public static byte[] OneSidedLight(byte[] portrait)
    {
        using var img = Load(portrait);
        using var left = img.Crop(0, 0, img.Width / 2, img.Height);
        using var dark = left.Linear([0.35], [0.0], uchar: true);
        using var lit = img.Insert(dark, 0, 0);
        return Jpeg(lit);
    }

    public static byte[] Greyscale(byte[] portrait)
    {
        using var img = Load(portrait);
        using var grey = img.Colourspace(Enums.Interpretation.Bw);
        return Jpeg(grey);
    }

    public static byte[] Heic(byte[] portrait)
    {
        using var img = Load(portrait);
        return (byte[])Operation.Call("heifsave_buffer", new VOption { { "Q", 80 }, { "compression", Enums.ForeignHeifCompression.Hevc } }, img);
    }

    /// <summary>PNG whose alpha is zero everywhere: a correct decoder shows plain white.</summary>
    public static byte[] TransparentPng(byte[] portrait)
    {
        using var img = Load(portrait);
        using var withAlpha = img.Bandjoin(0);
        return withAlpha.PngsaveBuffer();
    }

    /// <summary>Red boosted, green and blue cut: dark clothes become clearly red.</summary>
    public static byte[] RedTinted(byte[] photo)
    {
        using var img = Load(photo);
        using var red = img.Linear([1.0, 0.35, 0.35], [120.0, 0, 0], uchar: true);
        return Jpeg(red);
    }

    /// <summary>Dark, greenish lenses over both eyes (boxes from the mesh's eye corners): sunglasses.</summary>
    public static byte[] Sunglasses(byte[] photo, IEnumerable<(int X, int Y, int Width, int Height)> lenses)
    {
        using var img = Load(photo);
        var current = img.Copy();
        foreach (var (x, y, w, h) in lenses)
        {
            using var patch = current.Crop(x, y, w, h);
            using var tinted = patch.Linear([0.2, 0.25, 0.2], [5.0, 10, 5], uchar: true);
            var next = current.Insert(tinted, x, y);
            current.Dispose();
            current = next;
        }
        using (current) return Jpeg(current);
    }

    private static Image Then(Image first, Func<Image, Image> next)
    {
        using (first) return next(first);
    }
}
