namespace PhotoReceipt.Receipts.Tests;

/// <summary>
/// QRCoder makes the symbol; these tests hold our use of it to the standard's capacity table,
/// our orientation of its matrix (finders, timing) and, above all, to zbarimg reading it back.
/// </summary>
public sealed class QrCodeTests
{
    [Theory]
    // Byte-mode capacities at level M (ISO/IEC 18004 table 7): the longest payload of each version.
    [InlineData(1, 14)]
    [InlineData(2, 26)]
    [InlineData(3, 42)]
    [InlineData(4, 62)]
    [InlineData(5, 84)]
    [InlineData(6, 106)]
    [InlineData(7, 122)]
    [InlineData(8, 152)]
    [InlineData(9, 180)]
    [InlineData(10, 213)]
    public void Version_and_size_follow_the_capacity_table(int version, int capacity)
    {
        var full = QrCode.EncodeBytes(new byte[capacity]);
        Assert.Equal(version, full.Version);
        Assert.Equal(17 + (4 * version), full.Size);
        if (version < 10) Assert.Equal(version + 1, QrCode.EncodeBytes(new byte[capacity + 1]).Version);
    }

    [Fact]
    public void Payloads_beyond_version_10_are_refused()
    {
        Assert.Equal(213, QrCode.MaxBytes);
        var ex = Assert.Throws<ArgumentException>(() => QrCode.EncodeBytes(new byte[214]));
        Assert.Contains("213", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(10)]
    public void Finder_and_timing_patterns_are_where_the_standard_puts_them(int version)
    {
        // Our reading of QRCoder's matrix (rows of columns, quiet zone cut off) must put the three
        // finders in the top-left, top-right and bottom-left corners and the timing lines on row
        // and column 6: a transposed or shifted symbol would still scan, but not as ISO draws it.
        var qr = QrCode.EncodeBytes(new byte[QrCapacity(version)]);
        var n = qr.Size;
        foreach (var (cx, cy) in new[] { (3, 3), (n - 4, 3), (3, n - 4) })
        {
            for (var dy = -4; dy <= 4; dy++)
            {
                for (var dx = -4; dx <= 4; dx++)
                {
                    int x = cx + dx, y = cy + dy;
                    if (x < 0 || y < 0 || x >= n || y >= n) continue;
                    var ring = Math.Max(Math.Abs(dx), Math.Abs(dy));
                    Assert.Equal(ring is 0 or 1 or 3, qr.IsDark(x, y));
                }
            }
        }
        for (var i = 8; i < n - 8; i++)
        {
            Assert.Equal(i % 2 == 0, qr.IsDark(i, 6));
            Assert.Equal(i % 2 == 0, qr.IsDark(6, i));
        }
        Assert.True(qr.IsDark(8, n - 8));   // the dark module
    }

    [Fact]
    public void Render_draws_modules_with_the_quiet_zone()
    {
        var qr = QrCode.EncodeText("A");
        var bitmap = qr.Render(modulePx: 3);
        Assert.Equal((qr.Size + 8) * 3, bitmap.Width);
        Assert.Equal(255, bitmap[(4 * 3) - 1, (4 * 3) - 1]);   // quiet zone
        Assert.Equal(0, bitmap[4 * 3, 4 * 3]);                 // finder corner
        for (var y = 0; y < qr.Size; y++)
        {
            for (var x = 0; x < qr.Size; x++)
            {
                Assert.Equal(qr.IsDark(x, y) ? 0 : 255, bitmap[((x + 4) * 3) + 1, ((y + 4) * 3) + 1]);
            }
        }
    }

    [Fact]
    public void Zbarimg_decodes_every_version()
    {
        using var scratch = new ScratchDirectory();
        var cases = new List<string>();
        for (var v = 1; v <= 10; v++) cases.Add(Payload(QrCapacity(v), v));
        // Varied data at version 7 (version-information blocks too) lets the library pick different masks.
        for (var seed = 20; seed < 28; seed++) cases.Add(Payload(QrCapacity(7), seed));
        cases.Add("https://receipt.example.cn/r/7XK9M2QHPDW4RTAN?sig=Zm9vYmFy");
        cases.Add("广州市数字相片回执 7XK9M2QHPDW4RTAN");

        for (var i = 0; i < cases.Count; i++)
        {
            var qr = QrCode.EncodeText(cases[i]);
            var png = scratch.Write($"qr-{i}.png", qr.Render(4).ToPng());
            Assert.Equal([cases[i]], ExternalTool.ZbarDecode(png));
        }
    }

    private static int QrCapacity(int version) => new[] { 14, 26, 42, 62, 84, 106, 122, 152, 180, 213 }[version - 1];

    /// <summary>URL-like ASCII of an exact length, varied by seed so masks see different data.</summary>
    private static string Payload(int length, int seed)
    {
        const string chars = "abcdefghijklmnopqrstuvwxyz0123456789-_/.?=&ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var random = new Random(seed);
        return string.Concat(Enumerable.Range(0, length).Select(_ => chars[random.Next(chars.Length)]));
    }
}
