namespace PhotoReceipt.Core.Photos;

/// <summary>What a JPEG file says about itself: frame size, components, baseline or not, JFIF density.</summary>
public sealed record JpegInfo(int Width, int Height, int Components, bool Baseline, int DpiX, int DpiY)
{
    /// <summary>Reads the markers up to the first frame header; null when the bytes are not a JPEG.</summary>
    public static JpegInfo? Read(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8) return null;
        int dpiX = 0, dpiY = 0;
        var i = 2;
        while (i + 4 <= jpeg.Length)
        {
            if (jpeg[i] != 0xFF) return null;
            var marker = jpeg[i + 1];
            var length = (jpeg[i + 2] << 8) | jpeg[i + 3];
            if (i + 2 + length > jpeg.Length) return null;
            var body = jpeg.Slice(i + 4, length - 2);
            if (marker == 0xE0 && body.Length >= 12 && body[..5].SequenceEqual("JFIF\0"u8))
            {
                var unit = body[7];
                var x = (body[8] << 8) | body[9];
                var y = (body[10] << 8) | body[11];
                (dpiX, dpiY) = unit switch { 1 => (x, y), 2 => ((int)Math.Round(x * 2.54), (int)Math.Round(y * 2.54)), _ => (0, 0) };
            }
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC && body.Length >= 6)
                return new JpegInfo((body[3] << 8) | body[4], (body[1] << 8) | body[2], body[5], marker == 0xC0, dpiX, dpiY);
            i += 2 + length;
        }
        return null;
    }
}
