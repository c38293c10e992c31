namespace PhotoReceipt.Imaging.Pipeline;

/// <summary>Packed 8-bit pixels owned by C# (Channels bytes per pixel, no row padding).</summary>
internal sealed class RgbImage
{
    public RgbImage(int width, int height, int channels = 3, byte[]? pixels = null)
    {
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels ?? new byte[width * height * channels];
        if (Pixels.Length < width * height * channels) throw new ArgumentException("pixel buffer too small", nameof(pixels));
    }

    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public byte[] Pixels { get; }
    public int Stride => Width * Channels;

    /// <summary>Rec. 601 luma of one pixel.</summary>
    public double Luma(int x, int y)
    {
        var i = (y * Width + x) * Channels;
        return Channels == 1 ? Pixels[i] : 0.299 * Pixels[i] + 0.587 * Pixels[i + 1] + 0.114 * Pixels[i + 2];
    }
}
