namespace PhotoReceipt.Core.Photos;

/// <summary>Writes the print resolution where validators look for it: a JFIF APP0 segment in DPI.</summary>
public static class JfifDensity
{
    /// <summary>The JPEG with any APP0–APP15 segments replaced by one JFIF 1.01 segment at <paramref name="dpi"/>.</summary>
    public static byte[] Insert(byte[] jpeg, int dpi)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) throw new ArgumentException("not a JPEG (no SOI marker)", nameof(jpeg));
        var i = 2;
        // Skip the application segments the encoder wrote; the rest of the stream is kept as is.
        while (i + 4 <= jpeg.Length && jpeg[i] == 0xFF && jpeg[i + 1] is >= 0xE0 and <= 0xEF)
            i += 2 + ((jpeg[i + 2] << 8) | jpeg[i + 3]);
        var d = (ushort)Math.Clamp(dpi, 1, ushort.MaxValue);
        byte[] app0 =
        [
            0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01,
            0x01, (byte)(d >> 8), (byte)d, (byte)(d >> 8), (byte)d, 0x00, 0x00,
        ];
        var result = new byte[2 + app0.Length + (jpeg.Length - i)];
        result[0] = 0xFF;
        result[1] = 0xD8;
        app0.CopyTo(result, 2);
        Array.Copy(jpeg, i, result, 2 + app0.Length, jpeg.Length - i);
        return result;
    }
}
