namespace PhotoReceipt.Receipts;

/// <summary>
/// Renders the printable receipt: one A4 page with a dashed cut line around the card, the title,
/// the photo at its true print size, the image number as Helvetica text (so it can be searched and
/// copied) and as a Code 128 barcode, a QR code on styles that carry one, and the Chinese text lines.
/// </summary>
public static class ReceiptPdfRenderer
{
    private const double CutLineWidthMm = 0.2;
    private const double CutLineDashMm = 2;
    /// <summary>Long values (a collection point's name) shrink to their box, but not below legibility.</summary>
    private const double MinFontSizePt = 6;

    public static byte[] Render(ReceiptContent content, ReceiptLayout layout)
    {
        layout.EnsureFits(content);

        var writer = new PdfWriter { Title = content.Title };
        var page = writer.AddPage(layout.PageWidthMm, layout.PageHeightMm);
        var card = layout.Card;
        page.StrokeRectangle(card.X, card.Y, card.Width, card.Height, CutLineWidthMm, CutLineDashMm);

        var photo = layout.PhotoBox.Centre(content.PhotoWidthMm, content.PhotoHeightMm);
        page.DrawJpeg(content.PhotoJpeg, photo.X, photo.Y, photo.Width, photo.Height);

        DrawBarcode(page, content.ImageNumber, layout.BarcodeBox);
        if (layout.QrBox is { } qrBox)
        {
            // One pixel per module: the PDF scales it to the box with interpolation off, so every
            // module lands as a sharp square at whatever resolution the printer uses.
            var qr = QrCode.EncodeText(content.QrPayload ?? content.ImageNumber).Render(modulePx: 1);
            page.DrawImage(qr, qrBox.X, qrBox.Y, qrBox.Width, qrBox.Height);
        }

        DrawLine(page, layout.Title, content);
        foreach (var line in layout.Lines) DrawLine(page, line, content);
        return writer.ToArray();
    }

    private static void DrawBarcode(PdfPage page, string imageNumber, MmBox box)
    {
        var symbol = Code128.Encode(imageNumber);
        var moduleMm = box.Width / symbol.Modules.Count;
        if (moduleMm < ReceiptLayoutValidator.MinModuleMm)
        {
            throw new ArgumentException(
                $"Image number '{imageNumber}' needs {symbol.Modules.Count} modules; at {box.Width} mm its bars would be {moduleMm:F3} mm, under {ReceiptLayoutValidator.MinModuleMm} mm.",
                nameof(imageNumber));
        }
        // A single row of modules stretched over the box: bar edges fall exactly on module boundaries.
        page.DrawImage(symbol.Render(moduleWidthPx: 1, heightPx: 1), box.X, box.Y, box.Width, box.Height);
    }

    private static void DrawLine(PdfPage page, ReceiptTextLine line, ReceiptContent content)
    {
        var text = line.TextFor(content);
        var size = FittedSizePt(text, line.FontSizePt, line.MaxWidthMm);
        var align = line.Align switch
        {
            ReceiptTextAlign.Center => PdfTextAlign.Center,
            ReceiptTextAlign.Right => PdfTextAlign.Right,
            _ => PdfTextAlign.Left,
        };
        page.DrawText(text, line.XMm, line.BaselineMm, size, align, line.Bold);
    }

    /// <summary>The layout's size, or smaller so the text fits its width; text that fits nowhere is refused.</summary>
    internal static double FittedSizePt(string text, double sizePt, double maxWidthMm)
    {
        var width = PdfPage.MeasureTextMm(text, sizePt);
        if (width <= maxWidthMm) return sizePt;
        var fitted = sizePt * maxWidthMm / width;
        if (fitted < MinFontSizePt)
        {
            throw new ArgumentException($"'{text}' is {width:F0} mm at {sizePt} pt and cannot fit {maxWidthMm} mm at {MinFontSizePt} pt or more.", nameof(text));
        }
        return Math.Floor(fitted * 10) / 10;
    }
}
