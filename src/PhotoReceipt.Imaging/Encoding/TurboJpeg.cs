using System.Runtime.InteropServices;
using OpenCvSharp;

namespace PhotoReceipt.Imaging.Encoding;

/// <summary>
/// Baseline JPEG from 8-bit RGB through libjpeg-turbo's TurboJPEG API (Debian's libturbojpeg0, the
/// libjpeg-turbo libvips decodes with), on the calling thread. libvips' own encoder hands the rows to
/// its worker threads and waits: with two photos in flight, those hand-offs cost a tenth of the
/// throughput. (OpenCV's encoder is not an option: its runtime package exports a bundled libjpeg
/// whose calls resolve partly into the system one, and encoding crashes.)
/// </summary>
internal sealed partial class TurboJpeg : IDisposable
{
    public const string Library = "libturbojpeg.so.0";

    private const int PixelFormatRgb = 0;     // TJPF_RGB
    private const int Subsample444 = 0;       // TJSAMP_444
    private const int Subsample420 = 2;       // TJSAMP_420
    private const int FlagAccurateDct = 4096; // TJFLAG_ACCURATEDCT (the islow DCT libvips uses)

    private readonly IntPtr _handle = InitCompress();

    public TurboJpeg()
    {
        if (_handle == IntPtr.Zero) throw new InvalidOperationException("TurboJPEG could not start a compressor");
    }

    /// <param name="rgb">8-bit, 3-channel RGB; a cut-out of a larger Mat is read through its row step.</param>
    /// <param name="subsample">4:2:0 chroma; otherwise every channel at full resolution (4:4:4).</param>
    public byte[] Compress(Mat rgb, int quality, bool subsample)
    {
        if (rgb.Type() != MatType.CV_8UC3) throw new ArgumentException("8-bit RGB expected", nameof(rgb));
        var buffer = IntPtr.Zero;
        nuint size = 0;
        try
        {
            var rc = Compress2(_handle, rgb.Data, rgb.Width, checked((int)rgb.Step()), rgb.Height, PixelFormatRgb, ref buffer, ref size,
                subsample ? Subsample420 : Subsample444, quality, FlagAccurateDct);
            if (rc != 0) throw new InvalidOperationException("TurboJPEG: " + Marshal.PtrToStringUTF8(ErrorText(_handle)));
            var bytes = new byte[checked((int)size)];
            Marshal.Copy(buffer, bytes, 0, bytes.Length);
            return bytes;
        }
        finally
        {
            if (buffer != IntPtr.Zero) Free(buffer);
        }
    }

    public void Dispose() => _ = Destroy(_handle);

    [LibraryImport(Library, EntryPoint = "tjInitCompress")]
    private static partial IntPtr InitCompress();

    // unsigned long *jpegSize: 64 bits on Linux x64.
    [LibraryImport(Library, EntryPoint = "tjCompress2")]
    private static partial int Compress2(IntPtr handle, IntPtr source, int width, int pitch, int height, int pixelFormat,
        ref IntPtr jpeg, ref nuint jpegSize, int subsampling, int quality, int flags);

    [LibraryImport(Library, EntryPoint = "tjFree")]
    private static partial void Free(IntPtr buffer);

    [LibraryImport(Library, EntryPoint = "tjDestroy")]
    private static partial int Destroy(IntPtr handle);

    [LibraryImport(Library, EntryPoint = "tjGetErrorStr2")]
    private static partial IntPtr ErrorText(IntPtr handle);
}
