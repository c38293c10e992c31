using System.Runtime.InteropServices;
using PhotoReceipt.Imaging.Interop;

namespace PhotoReceipt.Imaging.Vips;

/// <summary>A thin owner of one libvips image: the operations the pipeline, tests and benchmark need.</summary>
internal sealed class VipsImage : IDisposable
{
    private const int FormatUchar = 0;

    internal VipsImageHandle Handle { get; }
    public int Width { get; }
    public int Height { get; }
    public int Bands { get; }
    public int Format { get; }

    internal VipsImage(VipsImageHandle handle)
    {
        if (handle.IsInvalid) throw VipsOperationCall.Error("libvips returned no image");
        Handle = handle;
        Width = LibVips.vips_image_get_width(handle.DangerousGetHandle());
        Height = LibVips.vips_image_get_height(handle.DangerousGetHandle());
        Bands = LibVips.vips_image_get_bands(handle.DangerousGetHandle());
        Format = LibVips.vips_image_get_format(handle.DangerousGetHandle());
    }

    public void Dispose() => Handle.Dispose();

    private static VipsImage Op(string name, params ReadOnlySpan<(string, object)> args) => new(VipsOperationCall.Image(name, args));

    /// <summary>The libvips loader class that recognises these bytes by content, or null.</summary>
    public static unsafe string? SniffLoader(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return null;
        fixed (byte* p = data)
        {
            var name = LibVips.vips_foreign_find_load_buffer(p, (nuint)data.Length);
            if (name == IntPtr.Zero)
            {
                LibVips.vips_error_clear();
                return null;
            }
            return Marshal.PtrToStringUTF8(name);
        }
    }

    /// <summary>Copies bytes into a VipsBlob: libvips decodes lazily and must never see a managed buffer that can move.</summary>
    public static unsafe VipsAreaHandle Blob(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            var blob = LibVips.vips_blob_copy(p, (nuint)data.Length);
            if (blob == IntPtr.Zero) throw new ImagingException("vips_blob_copy failed");
            return new VipsAreaHandle(blob);
        }
    }

    /// <summary>Runs a loader; libvips reads only the header until pixels are asked for.</summary>
    public static VipsImage LoadHeader(string loader, VipsAreaHandle blob) => Op(loader, ("buffer", blob));

    /// <summary>Decode with shrink-on-load, EXIF autorotation and CMYK import, fitting inside size×size.</summary>
    public static VipsImage Thumbnail(VipsAreaHandle blob, int size) =>
        Op("thumbnail_buffer", ("buffer", blob), ("width", size), ("height", size), ("size", "down"), ("option_string", "fail_on=truncated"));

    public static unsafe VipsImage FromPixels(ReadOnlySpan<byte> pixels, int width, int height, int bands)
    {
        if (pixels.Length < width * height * bands) throw new ArgumentException("buffer smaller than the image", nameof(pixels));
        fixed (byte* p = pixels)
        {
            return new VipsImage(new VipsImageHandle(LibVips.vips_image_new_from_memory_copy(p, (nuint)(width * height * bands), width, height, bands, FormatUchar)));
        }
    }

    /// <summary>8-bit sRGB with three bands; alpha is flattened onto white (libvips defaults to black).</summary>
    public VipsImage ToSrgb8()
    {
        var current = Op("colourspace", ("in", Handle), ("space", "srgb"));
        if (current.Bands is 2 or 4)
        {
            var flat = Op("flatten", ("in", current.Handle), ("background", new[] { 255.0, 255.0, 255.0 }));
            current.Dispose();
            current = flat;
        }
        if (current.Bands > 3)
        {
            var first = Op("extract_band", ("in", current.Handle), ("band", 0), ("n", 3));
            current.Dispose();
            current = first;
        }
        if (current.Format != FormatUchar)
        {
            var cast = Op("cast", ("in", current.Handle), ("format", "uchar"));
            current.Dispose();
            current = cast;
        }
        return current;
    }

    /// <summary>Evaluates the pipeline into memory now (this is where a corrupt file is found).</summary>
    public VipsImage CopyMemory()
    {
        var copy = LibVips.vips_image_copy_memory(Handle.DangerousGetHandle());
        if (copy == IntPtr.Zero) throw VipsOperationCall.Error("libvips decode");
        return new VipsImage(new VipsImageHandle(copy));
    }

    public VipsImage Resize(double scale) => Op("resize", ("in", Handle), ("scale", scale));
    /// <summary>Bilinear resize: enough for the detector's working copy and several times cheaper than Lanczos.</summary>
    public VipsImage ResizeLinear(double scale) => Op("resize", ("in", Handle), ("scale", scale), ("kernel", "linear"));
    public VipsImage Resize(double hscale, double vscale) => Op("resize", ("in", Handle), ("scale", hscale), ("vscale", vscale));
    public VipsImage Crop(int left, int top, int width, int height) =>
        Op("extract_area", ("input", Handle), ("left", left), ("top", top), ("width", width), ("height", height));
    public VipsImage Rotate(double degrees) => Op("rotate", ("in", Handle), ("angle", degrees), ("background", new[] { 255.0, 255.0, 255.0 }));
    public VipsImage Rot(string angle) => Op("rot", ("in", Handle), ("angle", angle));
    public VipsImage Insert(VipsImage sub, int x, int y) => Op("insert", ("main", Handle), ("sub", sub.Handle), ("x", x), ("y", y));
    public VipsImage Colourspace(string space) => Op("colourspace", ("in", Handle), ("space", space));
    public VipsImage Zoom(int factor) => Op("zoom", ("input", Handle), ("xfac", factor), ("yfac", factor));
    public VipsImage Flip(string direction) => Op("flip", ("in", Handle), ("direction", direction));
    public VipsImage BandJoinConst(double value) => Op("bandjoin_const", ("in", Handle), ("c", new[] { value }));
    public VipsImage LinearBands(double[] a, double[] b) => Op("linear", ("in", Handle), ("a", a), ("b", b), ("uchar", true));
    public VipsImage IccExport(string profile) => Op("icc_export", ("in", Handle), ("output_profile", profile));
    public VipsImage GaussBlur(double sigma) => Op("gaussblur", ("in", Handle), ("sigma", sigma));
    public VipsImage Linear(double a, double b) =>
        Op("linear", ("in", Handle), ("a", new[] { a }), ("b", new[] { b }), ("uchar", true));
    public VipsImage JoinRight(VipsImage right) =>
        Op("join", ("in1", Handle), ("in2", right.Handle), ("direction", "horizontal"), ("expand", true), ("background", new[] { 255.0, 255.0, 255.0 }));
    public VipsImage Embed(int x, int y, int width, int height) =>
        Op("embed", ("in", Handle), ("x", x), ("y", y), ("width", width), ("height", height), ("extend", "copy"));

    /// <summary>A constant image of one band, every pixel <paramref name="value"/> (receipt canvases start white).</summary>
    public static VipsImage Constant(int width, int height, byte value)
    {
        using var black = Op("black", ("width", width), ("height", height), ("bands", 1));
        return black.Linear(1, value);
    }

    /// <summary>Decodes and resizes to exactly width×height (autorotated, sRGB): a photo placed at its print size.</summary>
    public static VipsImage ThumbnailExact(VipsAreaHandle blob, int width, int height) =>
        Op("thumbnail_buffer", ("buffer", blob), ("width", width), ("height", height), ("size", "force"));

    /// <summary>
    /// Pango markup rendered to a one-band ink mask (255 = ink), cropped to the ink rectangle;
    /// <see cref="XOffset"/>/<see cref="YOffset"/> say where that rectangle sits from the layout origin.
    /// </summary>
    public static VipsImage Text(string markup, string font, string fontFile, int dpi) =>
        Op("text", ("text", markup), ("font", font), ("fontfile", fontFile), ("dpi", dpi));

    public int XOffset => LibVips.vips_image_get_xoffset(Handle.DangerousGetHandle());
    public int YOffset => LibVips.vips_image_get_yoffset(Handle.DangerousGetHandle());

    /// <summary>A copy that records its resolution (pixels per millimetre), written by the PNG saver as pHYs.</summary>
    public VipsImage WithResolution(double pxPerMm) => Op("copy", ("in", Handle), ("xres", pxPerMm), ("yres", pxPerMm));

    /// <summary>A copy whose metadata says the given EXIF orientation (1–8).</summary>
    public VipsImage WithOrientation(int orientation)
    {
        var copy = Op("copy", ("in", Handle));
        LibVips.vips_image_set_int(copy.Handle.DangerousGetHandle(), "orientation", orientation);
        return copy;
    }

    /// <summary>The EXIF orientation libvips read from the header (1 when absent).</summary>
    public int Orientation =>
        LibVips.vips_image_get_typeof(Handle.DangerousGetHandle(), "orientation") != 0 &&
        LibVips.vips_image_get_int(Handle.DangerousGetHandle(), "orientation", out var o) == 0 ? o : 1;

    /// <summary>Packed pixels (Bands bytes per pixel, no padding).</summary>
    public byte[] ToBytes()
    {
        var data = LibVips.vips_image_write_to_memory(Handle.DangerousGetHandle(), out var size);
        if (data == IntPtr.Zero) throw VipsOperationCall.Error("libvips write to memory");
        try
        {
            var bytes = new byte[checked((int)size)];
            Marshal.Copy(data, bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            LibVips.g_free(data);
        }
    }

    /// <summary>Baseline JPEG, metadata stripped, chroma subsampling fixed so that size grows
    /// smoothly with quality. libvips 8.14 writes no JFIF segment when stripping (the DPI would only
    /// be in EXIF), so <see cref="Encoding.JfifDensity"/> adds one afterwards.</summary>
    public byte[] JpegSave(int quality, bool subsample) =>
        (byte[])VipsOperationCall.Run("jpegsave_buffer",
            [("in", Handle), ("Q", quality), ("strip", true), ("optimize_coding", true), ("interlace", false),
             ("subsample_mode", subsample ? "on" : "off")], "buffer")[0];

    public byte[] PngSave() =>
        (byte[])VipsOperationCall.Run("pngsave_buffer", [("in", Handle), ("compression", 1), ("strip", true)], "buffer")[0];

    /// <summary>Any-format save used by tests to build variants (e.g. ".webp", ".heif").</summary>
    public byte[] SaveAs(string saver, params ReadOnlySpan<(string, object)> options)
    {
        var args = new List<(string, object)> { ("in", Handle) };
        foreach (var o in options) args.Add(o);
        return (byte[])VipsOperationCall.Run(saver, args.ToArray(), "buffer")[0];
    }
}
