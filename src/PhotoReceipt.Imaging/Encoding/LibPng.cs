using System.Runtime.InteropServices;
using OpenCvSharp;

namespace PhotoReceipt.Imaging.Encoding;

/// <summary>
/// PNG from 8-bit RGB through libpng's simplified API (Debian's libpng16-16, the libpng libvips
/// uses), on the calling thread: libvips' pngsave hands the rows to its worker threads and waits.
/// (OpenCV's encoder is not used: its runtime bundles a libpng whose calls partly resolve into the
/// system one.)
/// </summary>
internal static unsafe partial class LibPng
{
    public const string Library = "libpng16.so.16";

    private const uint ImageVersion = 1; // PNG_IMAGE_VERSION
    private const uint FormatRgb = 0x02; // PNG_FORMAT_RGB (PNG_FORMAT_FLAG_COLOR)
    private const uint FlagFast = 0x02;  // PNG_IMAGE_FLAG_FAST: no row filters, quick deflate

    /// <summary>png_image (png.h, libpng 1.6).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PngImage
    {
        public IntPtr Opaque;
        public uint Version, Width, Height, Format, Flags, ColormapEntries, WarningOrError;
        public fixed byte Message[64];
    }

    /// <param name="rgb">8-bit, 3-channel RGB.</param>
    public static byte[] Encode(Mat rgb)
    {
        if (rgb.Type() != MatType.CV_8UC3) throw new ArgumentException("8-bit RGB expected", nameof(rgb));
        // Unfiltered rows deflate to little more than their own size at worst.
        var capacity = (nuint)(rgb.Height * (rgb.Width * 3L + 1) + 64 * 1024);
        while (true)
        {
            var buffer = new byte[capacity];
            var image = new PngImage { Version = ImageVersion, Width = (uint)rgb.Width, Height = (uint)rgb.Height, Format = FormatRgb, Flags = FlagFast };
            var size = capacity;
            int ok;
            fixed (byte* memory = buffer)
                ok = WriteToMemory(ref image, memory, ref size, 0, rgb.Data, checked((int)rgb.Step()), IntPtr.Zero);
            if (ok != 0) return buffer.AsSpan(0, checked((int)size)).ToArray();
            // A buffer too small is a failure that reports the size needed.
            if (size > capacity) { capacity = size; continue; }
            throw new InvalidOperationException("libpng: " + Marshal.PtrToStringUTF8((IntPtr)image.Message));
        }
    }

    // row_stride counts components; with 8-bit components that is the row's bytes.
    [LibraryImport(Library, EntryPoint = "png_image_write_to_memory")]
    private static partial int WriteToMemory(ref PngImage image, byte* memory, ref nuint memoryBytes, int convertTo8Bit, IntPtr buffer, int rowStride, IntPtr colormap);
}
