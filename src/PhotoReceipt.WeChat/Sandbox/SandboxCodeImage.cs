using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace PhotoReceipt.WeChat.Sandbox;

/// <summary>
/// A deterministic stand-in for a mini-program code in sandbox mode: a 21×21 black-and-white grid (8 px cells)
/// derived from the scene, as a real PNG, so pages that show the code have an image to show.
/// </summary>
internal static class SandboxCodeImage
{
    private const int Cells = 21, CellPx = 8, Size = Cells * CellPx;

    public static byte[] Render(string scene)
    {
        var bits = SHA256.HashData(Encoding.UTF8.GetBytes(scene));
        var raw = new byte[Size * (Size + 1)];
        for (var y = 0; y < Size; y++)
        {
            raw[y * (Size + 1)] = 0; // filter: none
            for (var x = 0; x < Size; x++)
            {
                int cx = x / CellPx, cy = y / CellPx, i = cy * Cells + cx;
                var dark = IsFinder(cx, cy) || ((bits[i / 8 % bits.Length] >> (i % 8)) & 1) == 1;
                raw[y * (Size + 1) + 1 + x] = dark ? (byte)0 : (byte)255;
            }
        }
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Size);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Size);
        header[8] = 8; // bit depth; colour type 0 (greyscale), default compression/filter/interlace
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
            Chunk(png, "IDAT", compressed.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static bool IsFinder(int x, int y) => (x < 7 && y < 7) || (x >= Cells - 7 && y < 7) || (x < 7 && y >= Cells - 7);

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        png.Write(len);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(len, Crc32(typed));
        png.Write(len);
    }

    private static uint Crc32(byte[] data)
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
