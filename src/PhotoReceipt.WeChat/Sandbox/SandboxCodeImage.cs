using System.Security.Cryptography;
using System.Text;
using PhotoReceipt.Core.Png;

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
        var pixels = new byte[Size * Size];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                int cx = x / CellPx, cy = y / CellPx, i = cy * Cells + cx;
                var dark = IsFinder(cx, cy) || ((bits[i / 8 % bits.Length] >> (i % 8)) & 1) == 1;
                pixels[y * Size + x] = dark ? (byte)0 : (byte)255;
            }
        }
        return PngWriter.Encode(pixels, Size, Size, PngColorType.Gray);
    }

    private static bool IsFinder(int x, int y) => (x < 7 && y < 7) || (x >= Cells - 7 && y < 7) || (x < 7 && y >= Cells - 7);
}
