using NetVips;
using PhotoReceipt.Core.Photos;
using PhotoReceipt.Imaging.Decoding;

namespace PhotoReceipt.Imaging.Encoding;

/// <summary>The encoded photo and how it was made.</summary>
internal sealed record EncodedJpeg(byte[] Bytes, int Quality, bool InWindow);

/// <summary>
/// Baseline JPEG whose size lands in the spec's KB window (1 KB = 1024 bytes) by searching the
/// quality. Chroma is fixed at 4:4:4 first: libvips would otherwise switch subsampling at Q 90 and
/// the size would jump. The file is never padded to reach a minimum size.
/// </summary>
internal static class SizeWindowJpegEncoder
{
    private const int MinQuality = 20;
    private const int MaxQuality = 95;
    private const int DefaultQuality = 92;

    public static EncodedJpeg Encode(OpenCvSharp.Mat rgb, int dpi, int? minKb, int? maxKb)
    {
        using var image = VipsMats.ToImage(rgb);
        return Encode(image, dpi, minKb, maxKb);
    }

    public static EncodedJpeg Encode(Image image, int dpi, int? minKb, int? maxKb)
    {
        if (minKb is null || maxKb is null) return new EncodedJpeg(Save(image, DefaultQuality, dpi, subsample: false), DefaultQuality, true);
        long min = minKb.Value * 1024L, max = maxKb.Value * 1024L;

        var best = Save(image, MaxQuality, dpi, subsample: false);
        if (best.Length <= max) return new EncodedJpeg(best, MaxQuality, best.Length >= min);

        // Highest quality whose file still fits under the maximum. One probe at Q 85 halves the
        // range first: photos at ID sizes usually fit there, leaving a short search above it.
        const int probeQ = 85;
        int lo = MinQuality, hi = MaxQuality - 1;
        byte[]? fit = null;
        var fitQ = 0;
        var probe = Save(image, probeQ, dpi, subsample: false);
        if (probe.Length <= max) { fit = probe; fitQ = probeQ; lo = probeQ + 1; }
        else hi = probeQ - 1;
        while (lo <= hi)
        {
            var q = (lo + hi) / 2;
            var bytes = Save(image, q, dpi, subsample: false);
            if (bytes.Length <= max) { fit = bytes; fitQ = q; lo = q + 1; }
            else hi = q - 1;
        }
        if (fit is not null) return new EncodedJpeg(fit, fitQ, fit.Length >= min);
        // Even the lowest quality is too big at 4:4:4; chroma subsampling is the last resort.
        var sub = Save(image, MinQuality, dpi, subsample: true);
        return new EncodedJpeg(sub, MinQuality, sub.Length >= min && sub.Length <= max);
    }

    /// <summary>Baseline JPEG, metadata stripped, chroma subsampling fixed so that size grows smoothly
    /// with quality. libvips 8.14 writes no JFIF density when stripping, so one is added afterwards.
    /// (Options by name: NetVips' typed overload speaks libvips 8.15+, which renamed strip to keep.)</summary>
    private static byte[] Save(Image image, int quality, int dpi, bool subsample) =>
        JfifDensity.Insert((byte[])Operation.Call("jpegsave_buffer", new VOption
        {
            { "Q", quality }, { "strip", true }, { "optimize_coding", true }, { "interlace", false },
            { "subsample_mode", subsample ? Enums.ForeignSubsample.On : Enums.ForeignSubsample.Off },
        }, image), dpi);
}
