using NetVips;

namespace PhotoReceipt.Receipts;

/// <summary>The few libvips steps the phone receipt needs: gray rasters in, sRGB photo, PNG out.</summary>
internal static class ReceiptImages
{
    private static readonly Lazy<bool> Configured = new(() =>
    {
        // A worker is a long-running server: the operation cache would keep decoded photos alive.
        // The photo pipeline sets the same (and its allocator and thread settings) when it starts first.
        Cache.Max = 0;
        Cache.MaxMem = 0;
        Cache.MaxFiles = 0;
        return true;
    });

    public static void EnsureConfigured() => _ = Configured.Value;

    /// <summary>Packed 8-bit gray samples (no row padding) as a one-band libvips image.</summary>
    public static Image FromGray(byte[] pixels, int width, int height)
    {
        if (pixels.Length != width * height) throw new ArgumentException($"Expected {width * height} bytes for {width}×{height}, got {pixels.Length}.", nameof(pixels));
        return Image.NewFromMemoryCopy((ReadOnlySpan<byte>)pixels, width, height, 1, Enums.BandFormat.Uchar);
    }

    /// <summary>8-bit sRGB with three bands, whatever the decoded photo was (gray, CMYK, 16-bit, alpha).</summary>
    public static Image ToSrgb8(Image image)
    {
        var current = image.Interpretation == Enums.Interpretation.Srgb ? image.Copy() : image.Colourspace(Enums.Interpretation.Srgb);
        if (current.HasAlpha()) Replace(ref current, current.Flatten(background: [255.0, 255.0, 255.0]));
        if (current.Bands > 3) Replace(ref current, current.ExtractBand(0, n: 3));
        if (current.Format != Enums.BandFormat.Uchar) Replace(ref current, current.Cast(Enums.BandFormat.Uchar));
        return current;
    }

    /// <summary>
    /// PNG through libvips' pngsave, metadata stripped. Options by name: NetVips' typed overload speaks
    /// libvips 8.15+, which renamed strip to keep, and Debian 12 ships 8.14.
    /// </summary>
    public static byte[] Png(Image image, int compression) =>
        (byte[])Operation.Call("pngsave_buffer", new VOption { { "compression", compression }, { "strip", true } }, image);

    private static void Replace(ref Image current, Image next)
    {
        current.Dispose();
        current = next;
    }
}
