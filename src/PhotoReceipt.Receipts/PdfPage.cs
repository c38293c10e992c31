using System.Text;
using PhotoReceipt.Receipts.Pdf;

namespace PhotoReceipt.Receipts;

public enum PdfTextAlign
{
    Left,
    Center,
    Right,
}

/// <summary>
/// One page of a <see cref="PdfWriter"/>. Every position and size is in millimetres from the page's
/// top-left corner (the way layouts are written); the page converts to PDF points (1/72 inch,
/// origin bottom-left) so that a 26×32 mm photo prints at exactly 26×32 mm at 100 % scale.
/// </summary>
public sealed class PdfPage
{
    private readonly PdfWriter _document;
    private readonly StringBuilder _content = new();
    private readonly List<int> _imageIds = [];

    internal PdfPage(PdfWriter document, double widthMm, double heightMm)
    {
        _document = document;
        WidthMm = widthMm;
        HeightMm = heightMm;
    }

    public double WidthMm { get; }
    public double HeightMm { get; }

    internal IReadOnlyList<int> ImageIds => _imageIds;
    internal bool UsesText { get; private set; }
    internal byte[] ContentBytes() => System.Text.Encoding.ASCII.GetBytes(_content.ToString());

    /// <summary>Embeds the JPEG unchanged and draws it to fill the box exactly.</summary>
    public void DrawJpeg(byte[] jpeg, double xMm, double yMm, double widthMm, double heightMm) =>
        PlaceImage(_document.AddJpeg(jpeg, out _), xMm, yMm, widthMm, heightMm);

    /// <summary>Draws a gray raster (a barcode or QR render) stretched to the box.</summary>
    public void DrawImage(GrayBitmap bitmap, double xMm, double yMm, double widthMm, double heightMm) =>
        PlaceImage(_document.AddRaster(bitmap.Pixels, bitmap.Width, bitmap.Height, 1), xMm, yMm, widthMm, heightMm);

    /// <summary>Draws packed 8-bit RGB samples (rows top to bottom) stretched to the box.</summary>
    public void DrawRgbImage(ReadOnlySpan<byte> rgb, int widthPx, int heightPx, double xMm, double yMm, double widthMm, double heightMm) =>
        PlaceImage(_document.AddRaster(rgb, widthPx, heightPx, 3), xMm, yMm, widthMm, heightMm);

    private void PlaceImage(int objectId, double xMm, double yMm, double widthMm, double heightMm)
    {
        if (!(widthMm > 0) || !(heightMm > 0)) throw new ArgumentOutOfRangeException(nameof(widthMm), "Image boxes need a positive size.");
        _imageIds.Add(objectId);
        // An image occupies the unit square; the cm matrix scales it to the box and moves its
        // bottom-left corner into place.
        _content.Append("q ")
            .Append(PdfSyntax.Mm(widthMm)).Append(" 0 0 ").Append(PdfSyntax.Mm(heightMm)).Append(' ')
            .Append(PdfSyntax.Mm(xMm)).Append(' ').Append(PdfSyntax.Mm(HeightMm - yMm - heightMm))
            .Append(" cm /Im").Append(_imageIds.Count).Append(" Do Q\n");
    }

    /// <summary>
    /// Draws one line of text with its baseline at <paramref name="baselineMm"/>. ASCII goes out in
    /// Helvetica (extractable, and the image number reads as text), everything else in STSong-Light.
    /// </summary>
    public void DrawText(string text, double xMm, double baselineMm, double sizePt,
        PdfTextAlign align = PdfTextAlign.Left, bool bold = false)
    {
        if (string.IsNullOrEmpty(text)) return;
        UsesText = true;
        var width = MeasureTextMm(text, sizePt);
        var left = align switch
        {
            PdfTextAlign.Center => xMm - (width / 2),
            PdfTextAlign.Right => xMm - width,
            _ => xMm,
        };

        // Song typefaces have no bold cut; fill-and-stroke with a hairline thickens the strokes. The
        // render mode and line width are graphics state that outlives ET, hence the q … Q around it.
        if (bold) _content.Append("q 2 Tr ").Append(PdfSyntax.Number(sizePt * 0.03)).Append(" w ");
        _content.Append("BT ");
        _content.Append("1 0 0 1 ").Append(PdfSyntax.Mm(left)).Append(' ').Append(PdfSyntax.Mm(HeightMm - baselineMm)).Append(" Tm");
        foreach (var (latin, run) in PdfFonts.Runs(text))
        {
            _content.Append(" /").Append(latin ? PdfFonts.LatinResource : PdfFonts.CjkResource)
                .Append(' ').Append(PdfSyntax.Number(sizePt)).Append(" Tf ")
                .Append(latin ? PdfSyntax.Literal(run) : PdfSyntax.HexUcs2(run)).Append(" Tj");
        }
        _content.Append(bold ? " ET Q\n" : " ET\n");
    }

    /// <summary>The advance width of <paramref name="text"/> as <see cref="DrawText"/> sets it.</summary>
    public static double MeasureTextMm(string text, double sizePt)
    {
        var units = 0;
        foreach (var (_, run) in PdfFonts.Runs(text))
        {
            foreach (var ch in run) units += PdfFonts.Width(ch);
        }
        return units / 1000.0 * sizePt / PdfSyntax.PointsPerMm;
    }

    /// <summary>Strokes a rectangle outline; a dash length draws a cut line.</summary>
    public void StrokeRectangle(double xMm, double yMm, double widthMm, double heightMm, double lineWidthMm, double? dashMm = null)
    {
        _content.Append("q ").Append(PdfSyntax.Mm(lineWidthMm)).Append(" w ");
        if (dashMm is { } dash) _content.Append('[').Append(PdfSyntax.Mm(dash)).Append("] 0 d ");
        _content.Append(PdfSyntax.Mm(xMm)).Append(' ').Append(PdfSyntax.Mm(HeightMm - yMm - heightMm)).Append(' ')
            .Append(PdfSyntax.Mm(widthMm)).Append(' ').Append(PdfSyntax.Mm(heightMm)).Append(" re S Q\n");
    }

    public void DrawLine(double x1Mm, double y1Mm, double x2Mm, double y2Mm, double lineWidthMm)
    {
        _content.Append("q ").Append(PdfSyntax.Mm(lineWidthMm)).Append(" w ")
            .Append(PdfSyntax.Mm(x1Mm)).Append(' ').Append(PdfSyntax.Mm(HeightMm - y1Mm)).Append(" m ")
            .Append(PdfSyntax.Mm(x2Mm)).Append(' ').Append(PdfSyntax.Mm(HeightMm - y2Mm)).Append(" l S Q\n");
    }
}
