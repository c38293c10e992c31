using NetVips;
using OpenCvSharp;
using PhotoReceipt.Imaging.Checks;

namespace PhotoReceipt.Imaging.Decoding;

/// <summary>An upload decoded to upright 8-bit sRGB (alpha flattened on white), as an OpenCV RGB Mat.</summary>
internal sealed class DecodedPhoto(Mat rgb, string format, int sourceWidth, int sourceHeight) : IDisposable
{
    public Mat Rgb { get; } = rgb;
    public string Format { get; } = format;
    /// <summary>Upright size of the original, before any shrink-on-load.</summary>
    public int SourceWidth { get; } = sourceWidth;
    public int SourceHeight { get; } = sourceHeight;
    /// <summary>Original pixels per decoded pixel (1 when decoded at full size).</summary>
    public double SourcePerPixel => (double)SourceWidth / Rgb.Width;
    public bool IsFullSize => Rgb.Width >= SourceWidth;

    public void Dispose() => Rgb.Dispose();
}

/// <summary>
/// Decodes by content, never by name or content type: a ".jpg" from WeChat may be WebP or PNG.
/// The header is checked against the pixel cap before any pixel is decoded; libvips' shrink-on-load
/// makes a smaller decode cheap.
/// </summary>
internal static class PhotoDecoder
{
    // Formats a phone or WeChat produces. Everything else libvips could open (PDF, SVG, the
    // ImageMagick catch-all, FITS, matrix text…) is refused: more attack surface, never a photo.
    private static readonly (string LoaderPart, string Name)[] Accepted =
        [("Jpeg", "JPEG"), ("Png", "PNG"), ("Webp", "WebP"), ("Heif", "HEIF"), ("Gif", "GIF"), ("Tiff", "TIFF"), ("Jxl", "JPEG XL")];

    /// <summary>The header: format, upright size. Fails (as a report) for what is not a usable photo file.</summary>
    public static (string Format, int Width, int Height) ReadHeader(byte[] source, long maxPixels)
    {
        if (source.Length == 0)
            throw PhotoRejectedException.Fail("file", "0 字节", "JPEG/PNG/WebP/HEIC 图片", "文件是空的，请重新选择照片上传。");
        var loader = Image.FindLoadBuffer(source);
        if (loader is null)
            throw PhotoRejectedException.Fail("file", $"{source.Length} 字节，无法识别", "JPEG/PNG/WebP/HEIC 图片", "这不是可识别的图片文件，请上传手机拍摄的照片（JPG、PNG、WebP 或 HEIC）。");
        var format = Accepted.FirstOrDefault(a => loader.Contains(a.LoaderPart, StringComparison.OrdinalIgnoreCase)).Name;
        if (format is null)
            throw PhotoRejectedException.Fail("file", loader.Replace("VipsForeignLoad", "", StringComparison.Ordinal), "JPEG/PNG/WebP/HEIC 图片",
                "不支持这种文件格式，请上传 JPG、PNG、WebP 或 HEIC 照片。");
        int width, height, orientation;
        try
        {
            using var header = Image.NewFromBuffer(source);
            (width, height) = (header.Width, header.Height);
            orientation = header.GetTypeOf("orientation") != IntPtr.Zero ? (int)header.Get("orientation") : 1;
        }
        catch (VipsException ex)
        {
            throw Unreadable(format, ex);
        }
        if ((long)width * height > maxPixels)
            throw PhotoRejectedException.Fail("file", $"{width}×{height} px", $"≤ {maxPixels / 1_000_000} 百万像素",
                "图片像素过多，无法处理，请上传普通手机照片（不要上传超大图片）。");
        return orientation is >= 5 and <= 8 ? (format, height, width) : (format, width, height);
    }

    /// <summary>
    /// Decodes to at least <paramref name="minLongSide"/> pixels on the long side where the source
    /// has them. JPEG uses the decoder's own DCT scaling (1/2, 1/4, 1/8), which costs a fraction of a
    /// full decode and needs no resampling; other formats are decoded whole or thumbnailed.
    /// </summary>
    public static DecodedPhoto Decode(byte[] source, long maxPixels, int minLongSide)
    {
        var (format, width, height) = ReadHeader(source, maxPixels);
        var longSide = Math.Max(width, height);
        try
        {
            if (format == "JPEG")
            {
                var shrink = 1;
                while (shrink < 8 && longSide / (shrink * 2) >= minLongSide) shrink *= 2;
                // Sequential: libvips decodes as the rows are read, on this thread (see VipsMats.ToRgbMat);
                // the turn upright is then OpenCV's, as a sequential image cannot be rotated.
                using var loaded = Image.JpegloadBuffer(source, shrink: shrink, access: Enums.Access.Sequential, failOn: Enums.FailOn.Truncated);
                var orientation = loaded.GetTypeOf("orientation") != IntPtr.Zero ? (int)loaded.Get("orientation") : 1;
                return new DecodedPhoto(Orientation.Upright(VipsMats.ToRgbMat(loaded), orientation), format, width, height);
            }
            // Whole, up to a size that keeps two photos in flight well inside the memory budget.
            var target = Math.Min(longSide, Math.Max(2 * minLongSide, 2048));
            using var image = Image.ThumbnailBuffer(source, target, height: target, size: Enums.Size.Down, failOn: Enums.FailOn.Truncated);
            return new DecodedPhoto(VipsMats.ToRgbMat(image), format, width, height);
        }
        catch (VipsException ex)
        {
            throw Unreadable(format, ex);
        }
    }

    /// <summary>A damaged file: the user gets a plain Chinese sentence; libvips' own words go to the log.</summary>
    private static PhotoRejectedException Unreadable(string format, VipsException ex) =>
        new(new Core.Photos.Check("file", Core.Photos.CheckStatus.Fail, $"{format} 文件损坏或不完整", "完整的图片文件",
            "照片文件已损坏或没有上传完整，请重新上传。"), ex.Message.ReplaceLineEndings(" ").Trim());
}
