namespace PhotoReceipt.Receipts.Pdf;

/// <summary>
/// Width, height and component count from a JPEG's start-of-frame segment: all a PDF needs to
/// embed the file untouched as a DCTDecode image (the viewer decodes it, so no pixels are re-encoded).
/// </summary>
internal sealed record JpegInfo(int Width, int Height, int Components)
{
    public static JpegInfo Read(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 4 || jpeg[0] != 0xFF || jpeg[1] != 0xD8)
        {
            throw new ArgumentException("Not a JPEG file: it does not start with the SOI marker FF D8.", nameof(jpeg));
        }
        var pos = 2;
        while (pos + 4 <= jpeg.Length)
        {
            if (jpeg[pos] != 0xFF) throw new ArgumentException($"Corrupt JPEG: expected a marker at byte {pos}.", nameof(jpeg));
            var marker = jpeg[pos + 1];
            if (marker == 0xFF) { pos++; continue; }                 // fill byte
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { pos += 2; continue; } // markers without a length
            var length = (jpeg[pos + 2] << 8) | jpeg[pos + 3];
            // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame header.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (pos + 10 > jpeg.Length) break;
                var height = (jpeg[pos + 5] << 8) | jpeg[pos + 6];
                var width = (jpeg[pos + 7] << 8) | jpeg[pos + 8];
                var components = jpeg[pos + 9];
                if (components is not (1 or 3))
                {
                    throw new ArgumentException($"JPEG with {components} components; only grayscale and YCbCr/RGB photos are embedded.", nameof(jpeg));
                }
                return new JpegInfo(width, height, components);
            }
            if (marker == 0xDA) break; // start of scan before any frame header
            pos += 2 + length;
        }
        throw new ArgumentException("Corrupt JPEG: no start-of-frame segment found.", nameof(jpeg));
    }
}
