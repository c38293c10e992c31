using System.Buffers.Binary;
using System.IO.Compression;

namespace PhotoReceipt.Core.Png;

/// <summary>Pixel layouts <see cref="PngWriter"/> accepts, named after PNG colour types.</summary>
public enum PngColorType
{
    Gray = 0,
    Rgb = 2,
    Rgba = 6,
}

/// <summary>
/// A minimal PNG encoder (8 bits per sample, no interlace, filter type 0 on every row).
/// Barcodes, QR codes and the sandbox's stand-in images compress well without row filters; photos go
/// through libvips instead. Pure code, so any project (WeChat's sandbox, tests) can use it.
/// </summary>
public static class PngWriter
{
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <param name="pixels">Rows top to bottom, tightly packed (no stride padding).</param>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, PngColorType colorType)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var channels = Channels(colorType);
        var rowBytes = checked(width * channels);
        if (pixels.Length != checked(rowBytes * height))
        {
            throw new ArgumentException(
                $"Expected {rowBytes * height} bytes for {width}×{height} {colorType}, got {pixels.Length}.", nameof(pixels));
        }

        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;                 // bit depth
        header[9] = (byte)colorType;
        header[10] = 0;                // deflate
        header[11] = 0;                // adaptive filtering (we always pick filter 0)
        header[12] = 0;                // no interlace
        WriteChunk(output, "IHDR", header);

        WriteChunk(output, "IDAT", Deflate(pixels, rowBytes, height));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    public static int Channels(PngColorType colorType) => colorType switch
    {
        PngColorType.Gray => 1,
        PngColorType.Rgb => 3,
        PngColorType.Rgba => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(colorType), colorType, "Unsupported PNG colour type."),
    };

    private static byte[] Deflate(ReadOnlySpan<byte> pixels, int rowBytes, int height)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                zlib.WriteByte(0); // filter type None
                zlib.Write(pixels.Slice(y * rowBytes, rowBytes));
            }
        }
        return compressed.ToArray();
    }

    /// <summary>One chunk: length, type, data and the CRC over type and data (tests build odd PNGs with it).</summary>
    public static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        output.Write(buffer);

        Span<byte> typeBytes = stackalloc byte[4];
        System.Text.Encoding.ASCII.GetBytes(type, typeBytes);
        output.Write(typeBytes);
        output.Write(data);

        // The CRC covers the chunk type and data, not the length.
        var crc = Crc32.Append(Crc32.Compute(typeBytes), data);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, crc);
        output.Write(buffer);
    }
}
