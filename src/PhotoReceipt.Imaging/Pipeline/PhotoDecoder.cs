using PhotoReceipt.Imaging.Vips;

namespace PhotoReceipt.Imaging.Pipeline;

/// <summary>A decoded upload: sRGB pixels in libvips memory, upright, alpha flattened on white.</summary>
internal sealed class DecodedPhoto : IDisposable
{
    public DecodedPhoto(VipsImage master, string format, int sourceWidth, int sourceHeight)
    {
        Master = master; Format = format; SourceWidth = sourceWidth; SourceHeight = sourceHeight;
    }

    public VipsImage Master { get; }
    public string Format { get; }
    /// <summary>Upright size of the original, before any shrink-on-load.</summary>
    public int SourceWidth { get; }
    public int SourceHeight { get; }
    /// <summary>Original pixels per master pixel (1 when decoded at full size).</summary>
    public double SourcePerMaster => (double)SourceWidth / Master.Width;
    public bool IsFullSize => Master.Width == SourceWidth;

    public void Dispose() => Master.Dispose();
}

/// <summary>
/// Decodes by content, never by name or content type: a ".jpg" from WeChat may be WebP or PNG.
/// The header is checked against the pixel cap before any pixel is decoded.
/// </summary>
internal static class PhotoDecoder
{
    // Formats a phone or WeChat produces. Everything else libvips could open (PDF, SVG, the
    // ImageMagick catch-all, FITS, matrix text…) is refused: more attack surface, never a photo.
    private static readonly (string LoaderPart, string Name)[] Accepted =
        [("Jpeg", "JPEG"), ("Png", "PNG"), ("Webp", "WebP"), ("Heif", "HEIF"), ("Gif", "GIF"), ("Tiff", "TIFF"), ("Jxl", "JPEG XL")];

    /// <param name="longSide">Decode to at most this long side (shrink-on-load where the format allows).</param>
    public static DecodedPhoto Decode(ReadOnlySpan<byte> source, long maxPixels, int longSide)
    {
        if (source.IsEmpty)
            throw PhotoRejectedException.Fail("file", "0 字节", "JPEG/PNG/WebP/HEIC 图片", "文件是空的，请重新选择照片上传。");
        var loader = VipsImage.SniffLoader(source);
        if (loader is null)
            throw PhotoRejectedException.Fail("file", $"{source.Length} 字节，无法识别", "JPEG/PNG/WebP/HEIC 图片", "这不是可识别的图片文件，请上传手机拍摄的照片（JPG、PNG、WebP 或 HEIC）。");
        var format = Accepted.FirstOrDefault(a => loader.Contains(a.LoaderPart, StringComparison.Ordinal)).Name;
        if (format is null)
            throw PhotoRejectedException.Fail("file", loader.Replace("VipsForeignLoad", "", StringComparison.Ordinal), "JPEG/PNG/WebP/HEIC 图片", "不支持这种文件格式，请上传 JPG、PNG、WebP 或 HEIC 照片。");

        using var blob = VipsImage.Blob(source);
        int width, height, orientation;
        try
        {
            using var header = VipsImage.LoadHeader(loader, blob);
            (width, height, orientation) = (header.Width, header.Height, header.Orientation);
        }
        catch (ImagingException ex)
        {
            throw Unreadable(format, ex);
        }
        if ((long)width * height > maxPixels)
            throw PhotoRejectedException.Fail("file", $"{width}×{height} px", $"≤ {maxPixels / 1_000_000} 百万像素",
                "图片像素过多，无法处理，请上传普通手机照片（不要上传超大图片）。");
        if (orientation is >= 5 and <= 8) (width, height) = (height, width);

        var target = Math.Min(longSide, Math.Max(width, height));
        VipsImage? master = null;
        try
        {
            using var thumb = VipsImage.Thumbnail(blob, target);
            using var srgb = thumb.ToSrgb8();
            master = srgb.CopyMemory();
            return new DecodedPhoto(master, format, width, height);
        }
        catch (ImagingException ex)
        {
            master?.Dispose();
            throw Unreadable(format, ex);
        }
    }

    private static PhotoRejectedException Unreadable(string format, ImagingException ex) =>
        new(new Core.Photos.Check("file", Core.Photos.CheckStatus.Fail, $"{format} 文件损坏或不完整（{Shorten(ex.Message)}）", "完整的图片文件",
            "照片文件已损坏或没有上传完整，请重新上传。"));

    private static string Shorten(string message)
    {
        var oneLine = message.ReplaceLineEndings(" ");
        return oneLine.Length <= 160 ? oneLine : oneLine[..160] + "…";
    }
}
