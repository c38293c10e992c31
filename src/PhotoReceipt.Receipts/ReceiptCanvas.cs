using System.Globalization;
using NetVips;

namespace PhotoReceipt.Receipts;

/// <summary>
/// The phone receipt while it is drawn: a one-band (gray) libvips image the size of the card, onto
/// which text, barcode and QR code are inserted; the colour photo goes in last, after the
/// conversion to sRGB. Positions arrive in page millimetres and are moved to the card's origin.
/// </summary>
internal sealed class ReceiptCanvas : IDisposable
{
    private readonly MmBox _card;
    private readonly ReceiptFonts _fonts;
    private readonly Dictionary<(double, bool), int> _baselines = [];
    private Image _gray;

    public ReceiptCanvas(MmBox card, double pxPerMm, ReceiptFonts fonts)
    {
        _card = card;
        _fonts = fonts;
        PxPerMm = pxPerMm;
        var size = new MmBox(0, 0, card.Width, card.Height).ToPixels(pxPerMm);
        Width = size.Width;
        Height = size.Height;
        using var black = Image.Black(Width, Height);
        _gray = black.Linear([1.0], [255.0], uchar: true);
    }

    public double PxPerMm { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>A page box in canvas pixels.</summary>
    public PixelRect ToPixels(MmBox pageBox) =>
        new MmBox(pageBox.X - _card.X, pageBox.Y - _card.Y, pageBox.Width, pageBox.Height).ToPixels(PxPerMm);

    /// <summary>
    /// The ink mask of one line. The size goes to Pango in pixels at 72 dpi (1 pt = 1 px there), so
    /// a fractional output resolution keeps the layout's exact proportions.
    /// </summary>
    public Image RenderText(string text, double sizePt, bool bold)
    {
        var sizePx = sizePt * 25.4 / 72 * PxPerMm;
        var font = string.Create(CultureInfo.InvariantCulture, $"{ReceiptFonts.Family}{(bold ? " Bold" : "")} {sizePx:0.##}");
        return Image.Text(ReceiptPngRenderer.Markup(text), font: font, fontfile: bold ? _fonts.BoldFile : _fonts.RegularFile, dpi: 72);
    }

    /// <summary>
    /// Pixels from the layout's top to its baseline for this font and size. vips_text crops to the
    /// ink, so the baseline is found from a glyph that sits exactly on it: the bottom of "H".
    /// </summary>
    public int BaselineOffsetPx(double sizePt, bool bold)
    {
        if (_baselines.TryGetValue((sizePt, bold), out var known)) return known;
        using var h = RenderText("H", sizePt, bold);
        return _baselines[(sizePt, bold)] = h.Yoffset + h.Height;
    }

    public void DrawText(Image ink, double xMm, double baselineMm, ReceiptTextAlign align, int baselineOffsetPx)
    {
        var anchor = (xMm - _card.X) * PxPerMm;
        var x = align switch
        {
            ReceiptTextAlign.Center => (int)Math.Round(anchor - (ink.Width / 2.0)),
            ReceiptTextAlign.Right => (int)Math.Round(anchor) - ink.Width,
            _ => (int)Math.Round(anchor) + ink.Xoffset,
        };
        var y = (int)Math.Round((baselineMm - _card.Y) * PxPerMm) - baselineOffsetPx + ink.Yoffset;
        // Ink 255 → black on white paper. Lines never overlap (the layout validator keeps them
        // apart), so inserting the line's box cannot erase a neighbour.
        using var black = ink.Linear([-1.0], [255.0], uchar: true);
        Paste(black, x, y);
    }

    public void DrawBarcode(string imageNumber, MmBox pageBox)
    {
        var box = ToPixels(pageBox);
        var symbol = ReceiptLayoutValidator.Barcode(imageNumber, pageBox.Width, out _);
        // Whole pixels per module: bars of equal width decode at any scanner; the spare pixels
        // become extra quiet zone on both sides.
        var modulePx = box.Width / symbol.Modules.Count;
        if (modulePx < 1) throw new ArgumentException($"At {PxPerMm * 25.4:F0} dpi the barcode's modules are narrower than a pixel.", nameof(pageBox));
        PasteBitmap(symbol.Render(modulePx, box.Height), box);
    }

    public void DrawQr(string payload, MmBox pageBox)
    {
        var box = ToPixels(pageBox);
        var qr = QrCode.EncodeText(payload);
        var modulePx = Math.Min(box.Width, box.Height) / (qr.Size + (2 * QrCode.QuietZoneModules));
        if (modulePx < 1) throw new ArgumentException($"At {PxPerMm * 25.4:F0} dpi the QR code's modules are smaller than a pixel.", nameof(pageBox));
        PasteBitmap(qr.Render(modulePx), box);
    }

    /// <summary>Converts to sRGB, places the photo (resized to exactly its print size in pixels) and encodes the PNG.</summary>
    public byte[] FinishWithPhoto(byte[] photoJpeg, MmBox photoPageBox)
    {
        var box = ToPixels(photoPageBox);
        using var rgb = _gray.Colourspace(Enums.Interpretation.Srgb);
        using var decoded = Image.ThumbnailBuffer(photoJpeg, box.Width, height: box.Height, size: Enums.Size.Force);
        using var photo = ReceiptImages.ToSrgb8(decoded);
        using var composed = rgb.Insert(photo, box.X, box.Y);
        // The resolution travels in the PNG (pHYs), so printing the image keeps the photo's size.
        using var withDpi = composed.Copy(xres: PxPerMm, yres: PxPerMm);
        return ReceiptImages.Png(withDpi, 6);
    }

    private void PasteBitmap(GrayBitmap bitmap, PixelRect box)
    {
        using var image = ReceiptImages.FromGray(bitmap.Pixels, bitmap.Width, bitmap.Height);
        Paste(image, box.X + ((box.Width - bitmap.Width) / 2), box.Y + ((box.Height - bitmap.Height) / 2));
    }

    private void Paste(Image sub, int x, int y)
    {
        var next = _gray.Insert(sub, x, y);
        _gray.Dispose();
        _gray = next;
    }

    public void Dispose() => _gray.Dispose();
}
