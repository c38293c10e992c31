using OpenCvSharp;
using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Imaging.Encoding;

/// <summary>The encoded photo and how it was made.</summary>
internal sealed record EncodedJpeg(byte[] Bytes, int Quality, bool InWindow);

/// <summary>
/// Baseline JPEG whose size lands in the spec's KB window (1 KB = 1024 bytes) by searching the
/// quality. Chroma is kept at 4:4:4 first, so that the size grows smoothly with quality. The file
/// is never padded to reach a minimum size.
/// </summary>
internal static class SizeWindowJpegEncoder
{
    private const int MinQuality = 20;
    private const int MaxQuality = 95;
    private const int DefaultQuality = 92;

    /// <param name="rgb">8-bit RGB.</param>
    public static EncodedJpeg Encode(Mat rgb, int dpi, int? minKb, int? maxKb)
    {
        using var encoder = new TurboJpeg();
        byte[] Save(int quality, bool subsample) => JfifDensity.Insert(encoder.Compress(rgb, quality, subsample), dpi);
        if (minKb is null || maxKb is null) return new EncodedJpeg(Save(DefaultQuality, subsample: false), DefaultQuality, true);
        long min = minKb.Value * 1024L, max = maxKb.Value * 1024L;

        var best = Save(MaxQuality, subsample: false);
        if (best.Length <= max) return new EncodedJpeg(best, MaxQuality, best.Length >= min);

        // Highest quality whose file still fits under the maximum. One probe at Q 85 halves the
        // range first: photos at ID sizes usually fit there, leaving a short search above it.
        const int probeQ = 85;
        int lo = MinQuality, hi = MaxQuality - 1;
        byte[]? fit = null;
        var fitQ = 0;
        var probe = Save(probeQ, subsample: false);
        if (probe.Length <= max) { fit = probe; fitQ = probeQ; lo = probeQ + 1; }
        else hi = probeQ - 1;
        while (lo <= hi)
        {
            var q = (lo + hi) / 2;
            var bytes = Save(q, subsample: false);
            if (bytes.Length <= max) { fit = bytes; fitQ = q; lo = q + 1; }
            else hi = q - 1;
        }
        if (fit is not null) return new EncodedJpeg(fit, fitQ, fit.Length >= min);
        // Even the lowest quality is too big at 4:4:4; chroma subsampling is the last resort.
        var sub = Save(MinQuality, subsample: true);
        return new EncodedJpeg(sub, MinQuality, sub.Length >= min && sub.Length <= max);
    }
}
