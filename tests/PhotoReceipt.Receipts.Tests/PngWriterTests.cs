using PhotoReceipt.Core.Png;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using PhotoReceipt.Receipts;

namespace PhotoReceipt.Receipts.Tests;

public sealed class PngWriterTests
{
    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        // The check value of CRC-32/ISO-HDLC for the ASCII digits 1–9.
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    [Theory]
    [InlineData(PngColorType.Gray, 1)]
    [InlineData(PngColorType.Rgb, 3)]
    [InlineData(PngColorType.Rgba, 4)]
    public void Encoded_png_has_valid_chunks_and_inflates_back_to_the_pixels(PngColorType type, int channels)
    {
        const int width = 5, height = 3;
        var pixels = new byte[width * height * channels];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 7);

        var png = PngWriter.Encode(pixels, width, height, type);

        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = ReadChunks(png);
        Assert.Equal(["IHDR", "IDAT", "IEND"], chunks.Select(c => c.Type));
        var ihdr = chunks[0].Data;
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(ihdr));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
        Assert.Equal(8, ihdr[8]);
        Assert.Equal((byte)type, ihdr[9]);

        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress)) z.CopyTo(inflated);
        var raw = inflated.ToArray();
        Assert.Equal(height * (1 + (width * channels)), raw.Length);
        for (var y = 0; y < height; y++)
        {
            var row = raw.AsSpan(y * (1 + (width * channels)), 1 + (width * channels));
            Assert.Equal(0, row[0]);
            Assert.True(row[1..].SequenceEqual(pixels.AsSpan(y * width * channels, width * channels)));
        }
    }

    [Fact]
    public void Wrong_buffer_length_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => PngWriter.Encode(new byte[10], 2, 2, PngColorType.Rgb));
        Assert.Contains("Expected 12 bytes", ex.Message, StringComparison.Ordinal);
    }

    internal sealed record Chunk(string Type, byte[] Data);

    /// <summary>Reads chunks, checking each CRC against a bitwise CRC-32 written here from the definition.</summary>
    internal static List<Chunk> ReadChunks(byte[] png)
    {
        var chunks = new List<Chunk>();
        var pos = 8;
        while (pos < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png[(pos + 8)..(pos + 8 + length)];
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.Equal(BitwiseCrc(png.AsSpan(pos + 4, 4 + length)), crc);
            chunks.Add(new Chunk(type, data));
            pos += 12 + length;
        }
        return chunks;
    }

    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
