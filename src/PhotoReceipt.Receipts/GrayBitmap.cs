namespace PhotoReceipt.Receipts;

/// <summary>
/// An 8-bit grayscale raster, row-major, one byte per pixel (0 black, 255 white).
/// Barcode and QR renders produce it; the phone receipt and the PDF draw it.
/// </summary>
public sealed class GrayBitmap
{
    public int Width { get; }
    public int Height { get; }
    /// <summary>Width × Height bytes, top row first.</summary>
    public byte[] Pixels { get; }

    public GrayBitmap(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        Pixels = new byte[checked(width * height)];
        Array.Fill(Pixels, (byte)255);
    }

    public byte this[int x, int y]
    {
        get => Pixels[(y * Width) + x];
        set => Pixels[(y * Width) + x] = value;
    }

    /// <summary>A gray PNG through libvips' pngsave (what tests hand to zbarimg).</summary>
    public byte[] ToPng()
    {
        ReceiptImages.EnsureConfigured();
        using var image = ReceiptImages.FromGray(Pixels, Width, Height);
        return ReceiptImages.Png(image, 6);
    }

    internal void FillRect(int x, int y, int width, int height, byte value)
    {
        for (var row = y; row < y + height; row++)
        {
            Pixels.AsSpan((row * Width) + x, width).Fill(value);
        }
    }
}
