using NetVips;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Receipts.PrintSheets;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Receipts.Tests.PrintSheets;

public sealed class PrintSheetTests
{
    private static readonly ProductCatalog Catalog = ProductCatalog.LoadEmbedded();

    public static TheoryData<string> Specs() => [.. Catalog.Specs.Select(s => s.Id)];

    private static PhotoSpec Spec(string id) => Catalog.Specs.Single(s => s.Id == id);

    /// <summary>A stand-in photo of one flat colour at the spec's pixel size, so the copies can be found by colour.</summary>
    private static byte[] FlatPhoto(PhotoSpec spec)
    {
        using var black = Image.Black(spec.WidthPx, spec.HeightPx, bands: 3);
        using var blue = black.Linear([1.0, 1.0, 1.0], [30.0, 90.0, 200.0], uchar: true).Copy(interpretation: Enums.Interpretation.Srgb);
        return blue.JpegsaveBuffer(q: 95);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Every_spec_fills_a_6_inch_sheet_with_copies_at_their_true_print_size(string specId)
    {
        var spec = Spec(specId);
        var sheet = PrintSheetRenderer.Render(FlatPhoto(spec), spec);
        var layout = sheet.Layout;
        TestOutput.Write("receipts", $"print-sheet-{specId}.jpg", sheet.Jpeg);

        // 152 × 102 mm at 300 dpi, the resolution written where printers read it.
        Assert.Equal((1795, 1205), layout.Landscape ? (layout.WidthPx, layout.HeightPx) : (layout.HeightPx, layout.WidthPx));
        var measured = PrintSheetMeasurement.Of(sheet.Jpeg);
        Assert.Equal(300, measured.Dpi);
        Assert.Equal((layout.WidthPx, layout.HeightPx), (measured.Width, measured.Height));

        // The copies, found by their colour in the decoded file: along a line through each row (and
        // each column) of copies, every blue run is a whole number of copies of exactly the print size.
        var image = RgbImage.Decode(sheet.Jpeg);
        var across = layout.Copies.Select(c => c.Y + (c.Height / 2)).Distinct()
            .Select(y => BlueRuns(image.Width, x => IsBlue(image, x, y))).ToList();
        var down = layout.Copies.Select(c => c.X + (c.Width / 2)).Distinct()
            .Select(x => BlueRuns(image.Height, y => IsBlue(image, x, y))).ToList();
        Assert.Equal(layout.Rows, across.Count);
        Assert.All(across, runs => Assert.Equal(layout.Columns, Copies(runs, spec.PrintWidthMm, measured.PxPerMm)));
        Assert.All(down, runs => Assert.Equal(layout.Rows, Copies(runs, spec.PrintHeightMm, measured.PxPerMm)));

        // The cut marks in the margin lie on the copies' edges: their spacing is the print size too.
        Assert.All(measured.SpansXMm.Where(s => s > 5), s => Assert.InRange(s, spec.PrintWidthMm - 0.2, spec.PrintWidthMm + 0.2));
        Assert.All(measured.SpansYMm.Where(s => s > 5), s => Assert.InRange(s, spec.PrintHeightMm - 0.2, spec.PrintHeightMm + 0.2));
        Assert.Equal(layout.Columns, measured.SpansXMm.Count(s => s > 5));
        Assert.Equal(layout.Rows, measured.SpansYMm.Count(s => s > 5));

        // Nothing inside the margin printers crop, and the label has ink.
        var margin = PrintSheetLayout.ToPx(PrintSheetLayout.MarginMm) - 1;
        Assert.All(layout.Copies, c => Assert.True(c.X >= margin && c.Y >= margin && c.Right <= layout.WidthPx - margin && c.Bottom <= layout.HeightPx - margin));
        var box = layout.LabelBox;
        var ink = Enumerable.Range(box.X, box.Width).Sum(x => Enumerable.Range(box.Y, box.Height).Count(y => image.Luma(x, y) < 128));
        Assert.True(ink > 500, $"the label band has {ink} dark pixels");
    }

    [Fact]
    public void The_layout_fits_more_copies_than_a_fixed_grid_would()
    {
        // 26 × 32 mm (ID card): 15 copies abutting with the label beside them, rather than 12 with gaps.
        var id = PrintSheetLayout.For(26, 32);
        Assert.Equal(15, id.Count);
        // 33 × 48 mm (exit-entry): two rows of four on the landscape sheet.
        Assert.Equal(8, PrintSheetLayout.For(33, 48).Count);
        // 35 × 49 mm (two-inch): a cutting gap where it costs no copy.
        var twoInch = PrintSheetLayout.For(35, 49);
        Assert.Equal(4, twoInch.Count);
        Assert.Equal(2, twoInch.GutterMm);
        Assert.Throws<ArgumentOutOfRangeException>(() => PrintSheetLayout.For(120, 160));
    }

    [Fact]
    public void A_real_photo_is_laid_out_with_the_specs_name_in_the_margin()
    {
        var spec = Spec("cn-id-card");
        // A camera JPEG (EXIF, 4:3) rather than a flat stand-in: it is resized to the copy size all the same.
        var sheet = PrintSheetRenderer.Render(File.ReadAllBytes(RepoPaths.Portrait("test3.jpg")), spec);
        Assert.StartsWith(spec.Name, PrintSheetRenderer.Label(spec), StringComparison.Ordinal);
        Assert.Contains("26×32 mm", PrintSheetRenderer.Label(spec), StringComparison.Ordinal);
        var measured = PrintSheetMeasurement.Of(sheet.Jpeg);
        Assert.All(measured.SpansXMm.Where(s => s > 5), s => Assert.InRange(s, 25.8, 26.2));
        Assert.All(measured.SpansYMm.Where(s => s > 5), s => Assert.InRange(s, 31.8, 32.2));
        TestOutput.Write("receipts", "print-sheet-test3.jpg", sheet.Jpeg);
    }

    private static bool IsBlue(RgbImage image, int x, int y)
    {
        var (r, g, b) = image[x, y];
        return b > 150 && r < 90 && g < 140;
    }

    private static List<int> BlueRuns(int length, Func<int, bool> blue)
    {
        var runs = new List<int>();
        var run = 0;
        for (var i = 0; i <= length; i++)
        {
            if (i < length && blue(i)) run++;
            else if (run > 0) { runs.Add(run); run = 0; }
        }
        return runs;
    }

    /// <summary>How many copies the runs hold, asserting each run is whole copies of <paramref name="mm"/> (±0.15 mm each).</summary>
    private static int Copies(List<int> runs, double mm, double pxPerMm)
    {
        var total = 0;
        foreach (var run in runs)
        {
            var n = (int)Math.Round(run / pxPerMm / mm);
            Assert.True(n >= 1, $"a blue run of {run} px is smaller than one copy");
            Assert.InRange(run / pxPerMm / n, mm - 0.15, mm + 0.15);
            total += n;
        }
        return total;
    }
}
