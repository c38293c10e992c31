using System.Buffers.Binary;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Receipts.Tests;

/// <summary>Gray rasters (barcodes, QR codes) leave as PNG through libvips' pngsave.</summary>
public sealed class GrayBitmapPngTests
{
    [Fact]
    public void Test_crc32_matches_the_standard_check_value()
    {
        // The check value of CRC-32/ISO-HDLC for the ASCII digits 1–9: the chunk reader below relies on it.
        Assert.Equal(0xCBF43926u, TestPng.Crc32("123456789"u8));
    }

    [Fact]
    public void A_gray_bitmap_becomes_a_valid_8_bit_gray_png_with_the_same_pixels()
    {
        const int width = 5, height = 3;
        var bitmap = new GrayBitmap(width, height);
        for (var i = 0; i < bitmap.Pixels.Length; i++) bitmap.Pixels[i] = (byte)(i * 17);

        var png = bitmap.ToPng();

        Assert.Equal(TestPng.Signature.ToArray(), png[..8]);
        var chunks = ReadChunks(png);
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.Contains(chunks, c => c.Type == "IDAT");
        var ihdr = chunks[0].Data;
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(ihdr));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
        Assert.Equal(8, ihdr[8]);    // bit depth
        Assert.Equal(0, ihdr[9]);    // colour type 0: gray

        var decoded = RgbImage.Decode(png);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++) Assert.Equal(bitmap[x, y], decoded[x, y].R);
        }
    }

    [Fact]
    public void Wrong_buffer_length_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => ReceiptImages.FromGray(new byte[10], 2, 2));
        Assert.Contains("Expected 4 bytes", ex.Message, StringComparison.Ordinal);
    }

    internal sealed record Chunk(string Type, byte[] Data);

    /// <summary>Reads chunks, checking each CRC with the test's own CRC-32.</summary>
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
            Assert.Equal(TestPng.Crc32(png.AsSpan(pos + 4, 4 + length)), crc);
            chunks.Add(new Chunk(type, data));
            pos += 12 + length;
        }
        return chunks;
    }
}
