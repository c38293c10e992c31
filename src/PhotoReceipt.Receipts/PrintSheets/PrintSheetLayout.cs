namespace PhotoReceipt.Receipts.PrintSheets;

/// <summary>A rectangle on the sheet in whole pixels.</summary>
public readonly record struct SheetRect(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
}

/// <summary>Where the spec's name goes: a band under the copies, or one beside them (text turned 90°).</summary>
public enum LabelSide { Bottom, Right }

/// <summary>
/// The arrangement of a 6-inch (4R, 152 × 102 mm) print: as many copies of the photo at its true
/// print size as fit inside a margin that kiosk printers do not crop, in a grid with a cutting gap
/// when that costs no copy, and a band for the label. Pure arithmetic, in millimetres first and
/// whole pixels at the end, so each copy has exactly the spec's size in pixels.
/// </summary>
public sealed record PrintSheetLayout(
    int WidthPx, int HeightPx, bool Landscape, int Columns, int Rows, double GutterMm,
    int CopyWidthPx, int CopyHeightPx, IReadOnlyList<SheetRect> Copies, LabelSide LabelSide, SheetRect LabelBox)
{
    public const double SheetLongMm = 152, SheetShortMm = 102, Dpi = 300;
    /// <summary>Kept clear on every side: kiosk and home printers crop or smear the outermost millimetres.</summary>
    public const double MarginMm = 3;
    /// <summary>The label band beyond the margin on its side (text of about 2 mm plus air).</summary>
    public const double LabelBandMm = 4;
    /// <summary>Cut marks: ticks in the margin on each cutting line, starting clear of the photo.</summary>
    public const double TickGapMm = 0.5, TickLengthMm = 2;

    public static double PxPerMm => Dpi / 25.4;
    public static int ToPx(double mm) => (int)Math.Round(mm * PxPerMm, MidpointRounding.AwayFromZero);

    public int Count => Copies.Count;

    /// <summary>
    /// The best arrangement for a photo printed <paramref name="photoWidthMm"/> × <paramref name="photoHeightMm"/>:
    /// most copies; then a 2 mm gap between copies over none (easier to cut); then the label under the
    /// copies; then the landscape sheet.
    /// </summary>
    public static PrintSheetLayout For(double photoWidthMm, double photoHeightMm)
    {
        if (photoWidthMm <= 0 || photoHeightMm <= 0) throw new ArgumentOutOfRangeException(nameof(photoWidthMm), "A photo needs a positive print size.");
        var candidates =
            from landscape in new[] { true, false }
            from side in new[] { LabelSide.Bottom, LabelSide.Right }
            from gutter in new[] { 2.0, 0.0 }
            select Plan(photoWidthMm, photoHeightMm, landscape, side, gutter);
        var best = candidates
            .OrderByDescending(c => c.Columns * c.Rows)
            .ThenByDescending(c => c.Gutter)
            .ThenBy(c => c.Side == LabelSide.Bottom ? 0 : 1)
            .ThenBy(c => c.Landscape ? 0 : 1)
            .First();
        if (best.Columns * best.Rows == 0)
            throw new ArgumentOutOfRangeException(nameof(photoWidthMm), $"A {photoWidthMm}×{photoHeightMm} mm photo does not fit a 6-inch sheet.");
        return Build(photoWidthMm, photoHeightMm, best);
    }

    private sealed record Candidate(bool Landscape, LabelSide Side, double Gutter, int Columns, int Rows);

    private static Candidate Plan(double w, double h, bool landscape, LabelSide side, double gutter)
    {
        var (sheetW, sheetH) = landscape ? (SheetLongMm, SheetShortMm) : (SheetShortMm, SheetLongMm);
        var usableW = sheetW - (2 * MarginMm) - (side == LabelSide.Right ? LabelBandMm : 0);
        var usableH = sheetH - (2 * MarginMm) - (side == LabelSide.Bottom ? LabelBandMm : 0);
        var cols = (int)Math.Floor((usableW + gutter + 1e-9) / (w + gutter));
        var rows = (int)Math.Floor((usableH + gutter + 1e-9) / (h + gutter));
        return new Candidate(landscape, side, gutter, Math.Max(0, cols), Math.Max(0, rows));
    }

    private static PrintSheetLayout Build(double w, double h, Candidate c)
    {
        var (sheetW, sheetH) = c.Landscape ? (SheetLongMm, SheetShortMm) : (SheetShortMm, SheetLongMm);
        var gridW = (c.Columns * w) + ((c.Columns - 1) * c.Gutter);
        var gridH = (c.Rows * h) + ((c.Rows - 1) * c.Gutter);
        // The grid sits centred in the space the label band leaves.
        var areaW = sheetW - (c.Side == LabelSide.Right ? LabelBandMm : 0);
        var areaH = sheetH - (c.Side == LabelSide.Bottom ? LabelBandMm : 0);
        var x0 = (areaW - gridW) / 2;
        var y0 = (areaH - gridH) / 2;
        var copyW = ToPx(w);
        var copyH = ToPx(h);
        // A whole-pixel stride: abutting copies share an edge exactly, with no seam of paper between them.
        var strideX = copyW + ToPx(c.Gutter);
        var strideY = copyH + ToPx(c.Gutter);
        var copies = new List<SheetRect>(c.Columns * c.Rows);
        for (var r = 0; r < c.Rows; r++)
            for (var col = 0; col < c.Columns; col++)
                copies.Add(new SheetRect(ToPx(x0) + (col * strideX), ToPx(y0) + (r * strideY), copyW, copyH));
        // The label lies beyond the cut-mark ticks on its side, up to the sheet's margin.
        var clear = TickGapMm + TickLengthMm + 0.5;
        var label = c.Side == LabelSide.Bottom
            ? new SheetRect(ToPx(MarginMm), ToPx(y0 + gridH + clear), ToPx(sheetW - (2 * MarginMm)), ToPx(sheetH - MarginMm - (y0 + gridH + clear)))
            : new SheetRect(ToPx(x0 + gridW + clear), ToPx(MarginMm), ToPx(sheetW - MarginMm - (x0 + gridW + clear)), ToPx(sheetH - (2 * MarginMm)));
        return new PrintSheetLayout(ToPx(sheetW), ToPx(sheetH), c.Landscape, c.Columns, c.Rows, c.Gutter, copyW, copyH, copies, c.Side, label);
    }
}
