using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Receipts;

/// <summary>
/// Renders the printable receipt with PDFsharp: one A4 page with a dashed cut line around the card,
/// the title, the photo at its true print size (the approved JPEG embedded unchanged), the image
/// number as text (searchable, copyable) and as a Code 128 barcode, a QR code on styles that carry
/// one, and the Chinese text lines, in fonts embedded in the file.
/// </summary>
public static class ReceiptPdfRenderer
{
    private const double PointsPerMm = 72 / 25.4;
    private const double CutLineWidthMm = 0.2;
    private const double CutLineDashMm = 2;
    /// <summary>Long values (a collection point's name) shrink to their box, but not below legibility.</summary>
    private const double MinFontSizePt = 6;

    public static byte[] Render(ReceiptContent content, ReceiptLayout layout)
    {
        layout.EnsureFits(content);
        var photoInfo = JpegInfo.Read(content.PhotoJpeg)
            ?? throw new ArgumentException("The photo is not a JPEG: no SOI marker FF D8 followed by a frame header.", nameof(content));
        if (photoInfo.Components is not (1 or 3))
            throw new ArgumentException($"JPEG with {photoInfo.Components} components; only grayscale and YCbCr/RGB photos are embedded.", nameof(content));
        ReceiptPdfFonts.EnsureInstalled();

        using var document = new PdfDocument();
        document.Info.Title = content.Title;
        var page = document.AddPage();
        page.Width = XUnit.FromMillimeter(layout.PageWidthMm);
        page.Height = XUnit.FromMillimeter(layout.PageHeightMm);
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            var card = layout.Card;
            // The dash pattern is in multiples of the line width.
            var cut = new XPen(XColors.Black, Pt(CutLineWidthMm)) { DashPattern = [CutLineDashMm / CutLineWidthMm, CutLineDashMm / CutLineWidthMm] };
            gfx.DrawRectangle(cut, Pt(card.X), Pt(card.Y), Pt(card.Width), Pt(card.Height));

            var photo = layout.PhotoBox.Centre(content.PhotoWidthMm, content.PhotoHeightMm);
            using (var jpeg = XImage.FromStream(new MemoryStream(content.PhotoJpeg, writable: false)))
            {
                gfx.DrawImage(jpeg, Pt(photo.X), Pt(photo.Y), Pt(photo.Width), Pt(photo.Height));
            }

            DrawBarcode(gfx, content.ImageNumber, layout.BarcodeBox);
            if (layout.QrBox is { } qrBox) DrawQr(gfx, content.QrPayload ?? content.ImageNumber, qrBox);

            DrawLine(gfx, layout.Title, content);
            foreach (var line in layout.Lines) DrawLine(gfx, line, content);
        }
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>Bars as filled rectangles: edges fall exactly on module boundaries at any printer resolution.</summary>
    private static void DrawBarcode(XGraphics gfx, string imageNumber, MmBox box)
    {
        var symbol = ReceiptLayoutValidator.Barcode(imageNumber, box.Width, out var moduleMm);
        var bars = new XGraphicsPath();
        foreach (var (start, length) in DarkRuns(symbol.Modules.Count, i => symbol.Modules[i]))
            bars.AddRectangle(Pt(box.X + (start * moduleMm)), Pt(box.Y), Pt(length * moduleMm), Pt(box.Height));
        gfx.DrawPath(XBrushes.Black, bars);
    }

    /// <summary>
    /// Modules as one filled path (runs of a row merged): one fill leaves no hairline seams between
    /// neighbouring modules when a viewer anti-aliases, and every module is a sharp square in print.
    /// </summary>
    private static void DrawQr(XGraphics gfx, string payload, MmBox box)
    {
        var qr = QrCode.EncodeText(payload);
        var moduleMm = Math.Min(box.Width, box.Height) / (qr.Size + (2 * QrCode.QuietZoneModules));
        var left = box.X + ((box.Width - (qr.Size * moduleMm)) / 2);
        var top = box.Y + ((box.Height - (qr.Size * moduleMm)) / 2);
        var modules = new XGraphicsPath { FillMode = XFillMode.Winding };
        for (var y = 0; y < qr.Size; y++)
        {
            var row = y;
            foreach (var (start, length) in DarkRuns(qr.Size, x => qr.IsDark(x, row)))
                modules.AddRectangle(Pt(left + (start * moduleMm)), Pt(top + (y * moduleMm)), Pt(length * moduleMm), Pt(moduleMm));
        }
        gfx.DrawPath(XBrushes.Black, modules);
    }

    private static IEnumerable<(int Start, int Length)> DarkRuns(int count, Func<int, bool> isDark)
    {
        for (var i = 0; i < count;)
        {
            if (!isDark(i)) { i++; continue; }
            var start = i;
            while (i < count && isDark(i)) i++;
            yield return (start, i - start);
        }
    }

    private static void DrawLine(XGraphics gfx, ReceiptTextLine line, ReceiptContent content)
    {
        var text = line.TextFor(content);
        if (text.Length == 0) return;
        var size = FittedSizePt(text, line.FontSizePt, line.MaxWidthMm, line.Bold);
        var runs = Runs(text, size, line.Bold);
        var width = runs.Sum(r => gfx.MeasureString(r.Text, r.Font).Width);
        var x = Pt(line.XMm) - line.Align switch
        {
            ReceiptTextAlign.Center => width / 2,
            ReceiptTextAlign.Right => width,
            _ => 0,
        };
        foreach (var (run, font) in runs)
        {
            gfx.DrawString(run, font, XBrushes.Black, x, Pt(line.BaselineMm), XStringFormats.BaseLineLeft);
            x += gfx.MeasureString(run, font).Width;
        }
    }

    /// <summary>The layout's size, or smaller so the text fits its width; text that fits nowhere is refused.</summary>
    internal static double FittedSizePt(string text, double sizePt, double maxWidthMm, bool bold = false)
    {
        var width = MeasureTextMm(text, sizePt, bold);
        if (width <= maxWidthMm) return sizePt;
        var fitted = sizePt * maxWidthMm / width;
        if (fitted < MinFontSizePt)
        {
            throw new ArgumentException($"'{text}' is {width:F0} mm at {sizePt} pt and cannot fit {maxWidthMm} mm at {MinFontSizePt} pt or more.", nameof(text));
        }
        return Math.Floor(fitted * 10) / 10;
    }

    /// <summary>The advance width of <paramref name="text"/> as the receipt sets it, in millimetres.</summary>
    public static double MeasureTextMm(string text, double sizePt, bool bold = false)
    {
        ReceiptPdfFonts.EnsureInstalled();
        var gfx = XGraphics.CreateMeasureContext(new XSize(2000, 2000), XGraphicsUnit.Point, XPageDirection.Downwards);
        return Runs(text, sizePt, bold).Sum(r => gfx.MeasureString(r.Text, r.Font).Width) / PointsPerMm;
    }

    /// <summary>
    /// Splits text into runs of one font each: printable ASCII in the Latin face, the rest in the CJK
    /// face. Control characters and characters outside the BMP (which neither face covers) become '?'.
    /// </summary>
    private static List<(string Text, XFont Font)> Runs(string text, double sizePt, bool bold)
    {
        var style = bold ? XFontStyleEx.Bold : XFontStyleEx.Regular;
        // Unicode encoding: Identity-H glyph ids with a ToUnicode map, so the Chinese text can be searched and copied.
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode, PdfFontEmbedding.TryComputeSubset);
        XFont? latin = null, cjk = null;
        var runs = new List<(string, XFont)>();
        var run = new System.Text.StringBuilder();
        bool? runIsLatin = null;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; ch = '?'; }
            else if (char.IsSurrogate(ch) || char.IsControl(ch)) ch = '?';
            var isLatin = ch is >= ' ' and <= '~';
            if (runIsLatin is { } current && current != isLatin)
            {
                runs.Add((run.ToString(), Font(current)));
                run.Clear();
            }
            runIsLatin = isLatin;
            run.Append(ch);
        }
        if (runIsLatin is { } last) runs.Add((run.ToString(), Font(last)));
        return runs;

        XFont Font(bool isLatin) => isLatin
            ? latin ??= new XFont(ReceiptPdfFonts.Latin, sizePt, style, options)
            : cjk ??= new XFont(ReceiptPdfFonts.Cjk, sizePt, style, options);
    }

    private static double Pt(double mm) => mm * PointsPerMm;
}
