using System.Security;

namespace PhotoReceipt.Receipts;

/// <summary>
/// Renders the phone image of a receipt: the layout's card (what the cut line frames on paper) on a
/// white canvas at <c>dpi</c>, with the same title, photo, barcode, QR code and text lines as the
/// PDF. Text is set by libvips/Pango in Noto Sans CJK, so the Chinese reads on any phone.
/// </summary>
public static class ReceiptPngRenderer
{
    /// <summary>Long values shrink to their line, but not below legibility (as on the PDF).</summary>
    private const double MinFontSizePt = 6;

    public static byte[] Render(ReceiptContent content, ReceiptLayout layout, double dpi) =>
        Render(content, layout, dpi, ReceiptFonts.Default);

    public static byte[] Render(ReceiptContent content, ReceiptLayout layout, double dpi, ReceiptFonts fonts)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(fonts);
        if (dpi is < 72 or > 1200 || double.IsNaN(dpi)) throw new ArgumentOutOfRangeException(nameof(dpi), dpi, "A receipt image needs 72–1200 dpi.");
        layout.EnsureFits(content);

        ReceiptImages.EnsureConfigured();
        var canvas = new ReceiptCanvas(layout.Card, ReceiptLayout.PxPerMm(dpi), fonts);
        try
        {
            canvas.DrawBarcode(content.ImageNumber, layout.BarcodeBox);
            if (layout.QrBox is { } qrBox) canvas.DrawQr(content.QrPayload ?? content.ImageNumber, qrBox);
            DrawLine(canvas, layout.Title, content);
            foreach (var line in layout.Lines) DrawLine(canvas, line, content);
            var photo = layout.PhotoBox.Centre(content.PhotoWidthMm, content.PhotoHeightMm);
            return canvas.FinishWithPhoto(content.PhotoJpeg, photo);
        }
        finally
        {
            canvas.Dispose();
        }
    }

    private static void DrawLine(ReceiptCanvas canvas, ReceiptTextLine line, ReceiptContent content)
    {
        var text = line.TextFor(content);
        if (text.Length == 0) return;
        var maxWidthPx = line.MaxWidthMm * canvas.PxPerMm;
        var sizePt = line.FontSizePt;
        var ink = canvas.RenderText(text, sizePt, line.Bold);
        if (ink.Width > maxWidthPx)
        {
            // Ink width scales with the font size, so one re-render at the proportional size fits.
            var fitted = Math.Floor(sizePt * maxWidthPx / ink.Width * 10) / 10;
            ink.Dispose();
            if (fitted < MinFontSizePt)
                throw new ArgumentException($"'{text}' cannot fit {line.MaxWidthMm} mm at {MinFontSizePt} pt or more.", nameof(content));
            sizePt = fitted;
            ink = canvas.RenderText(text, sizePt, line.Bold);
        }
        using (ink)
        {
            canvas.DrawText(ink, line.XMm, line.BaselineMm, line.Align, canvas.BaselineOffsetPx(sizePt, line.Bold));
        }
    }

    /// <summary>Pango reads its input as markup: the values (a collection point's name) are escaped.</summary>
    internal static string Markup(string text) => SecurityElement.Escape(text);

}
