namespace PhotoReceipt.Testing;

/// <summary>
/// Reads a rendered print sheet as a person with a ruler would: the resolution in its JFIF header,
/// and the cut marks in its margins, whose spacing is the copies' size. Independent of the
/// renderer's own layout numbers.
/// </summary>
public sealed record PrintSheetMeasurement(int Width, int Height, int Dpi, IReadOnlyList<double> CutsX, IReadOnlyList<double> CutsY)
{
    public double PxPerMm => Dpi / 25.4;

    /// <summary>Distances between neighbouring vertical cut lines, in millimetres (copy widths, and gaps if any).</summary>
    public IReadOnlyList<double> SpansXMm => Spans(CutsX);
    public IReadOnlyList<double> SpansYMm => Spans(CutsY);

    private List<double> Spans(IReadOnlyList<double> cuts) => cuts.Zip(cuts.Skip(1), (a, b) => (b - a) / PxPerMm).ToList();

    public static PrintSheetMeasurement Of(byte[] jpeg)
    {
        var dpi = JfifDpi(jpeg);
        var image = RgbImage.Decode(jpeg);
        // Ticks stand in the margins: thin mid-grey strokes about 2 mm long with paper on
        // both sides (a photo's edge has paper on one side only; the label's glyphs are black and short).
        bool Paper(int x, int y) => x < 0 || y < 0 || x >= image.Width || y >= image.Height || image.Luma(x, y) > 225;
        bool Grey(int x, int y) => image.Luma(x, y) is > 50 and < 160;
        bool VerticalTick(int x, int y) => Grey(x, y) && Paper(x - 4, y) && Paper(x + 4, y);
        bool HorizontalTick(int x, int y) => Grey(x, y) && Paper(x, y - 4) && Paper(x, y + 4);
        // A cutting line has its tick on both sides of the grid: above and below, left and right.
        int h = image.Height, w = image.Width;
        var cutsX = Runs(w, x => LongestRun(0, h / 2, y => VerticalTick(x, y)) >= 18 && LongestRun(h / 2, h, y => VerticalTick(x, y)) >= 18);
        var cutsY = Runs(h, y => LongestRun(0, w / 2, x => HorizontalTick(x, y)) >= 18 && LongestRun(w / 2, w, x => HorizontalTick(x, y)) >= 18);
        return new PrintSheetMeasurement(image.Width, image.Height, dpi, cutsX, cutsY);
    }

    private static int LongestRun(int from, int to, Func<int, bool> hit)
    {
        int best = 0, run = 0;
        for (var i = from; i < to; i++)
        {
            run = hit(i) ? run + 1 : 0;
            best = Math.Max(best, run);
        }
        return best;
    }

    /// <summary>Centres of the dark runs along one axis.</summary>
    private static List<double> Runs(int length, Func<int, bool> dark)
    {
        var centres = new List<double>();
        var start = -1;
        for (var i = 0; i <= length; i++)
        {
            var d = i < length && dark(i);
            if (d && start < 0) start = i;
            if (!d && start >= 0)
            {
                centres.Add((start + i) / 2.0);
                start = -1;
            }
        }
        return centres;
    }

    /// <summary>The density of the JFIF APP0 segment, in dots per inch (units 1), or 0 when absent.</summary>
    public static int JfifDpi(byte[] jpeg)
    {
        if (jpeg.Length < 18 || jpeg[2] != 0xFF || jpeg[3] != 0xE0 || jpeg[6] != 'J' || jpeg[7] != 'F') return 0;
        return jpeg[13] == 1 ? (jpeg[14] << 8) | jpeg[15] : 0;
    }
}
