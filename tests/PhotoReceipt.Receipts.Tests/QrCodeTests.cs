using PhotoReceipt.Receipts;
using PhotoReceipt.Receipts.Qr;

namespace PhotoReceipt.Receipts.Tests;

public sealed class QrCodeTests
{
    [Theory]
    // ISO/IEC 18004 annex C, table C.1: format information for level M, masks 000–111.
    [InlineData(0, "101010000010010")]
    [InlineData(1, "101000100100101")]
    [InlineData(2, "101111001111100")]
    [InlineData(3, "101101101001011")]
    [InlineData(4, "100010111111001")]
    [InlineData(5, "100000011001110")]
    [InlineData(6, "100111110010111")]
    [InlineData(7, "100101010100000")]
    public void Format_bits_for_level_m_match_the_standard(int mask, string expected)
    {
        Assert.Equal(expected, Convert.ToString(QrFormat.FormatBits(mask), 2).PadLeft(15, '0'));
    }

    [Theory]
    // ISO/IEC 18004 annex D, table D.1.
    [InlineData(7, 0x07C94)]
    [InlineData(8, 0x085BC)]
    [InlineData(9, 0x09A99)]
    [InlineData(10, 0x0A4D3)]
    public void Version_bits_match_the_standard(int version, int expected)
    {
        Assert.Equal(expected, QrFormat.VersionBits(version));
    }

    [Fact]
    public void Reed_solomon_reproduces_the_standards_worked_example()
    {
        // ISO/IEC 18004 annex I: "01234567" as version 1-M in numeric mode.
        var data = QrDataEncoder.NumericDataCodewords("01234567", 1);
        Assert.Equal(Hex("10 20 0C 56 61 80 EC 11 EC 11 EC 11 EC 11 EC 11"), data);
        Assert.Equal(Hex("A5 24 D4 C1 ED 36 C7 87 2C 55"), ReedSolomon.Remainder(data, 10));
    }

    [Fact]
    public void Reed_solomon_reproduces_the_hello_world_example()
    {
        // The widely used "HELLO WORLD" 1-M alphanumeric example (thonky.com QR tutorial), data codewords given.
        var data = Hex("20 5B 0B 78 D1 72 DC 4D 43 40 EC 11 EC 11 EC 11");
        Assert.Equal(Hex("C4 23 27 77 EB D7 E7 E2 5D 17"), ReedSolomon.Remainder(data, 10));
    }

    [Fact]
    public void Block_table_agrees_with_the_module_count_of_every_version()
    {
        for (var v = QrTables.MinVersion; v <= QrTables.MaxVersion; v++)
        {
            Assert.Equal(QrTables.RawDataModules(v) / 8, QrTables.BlocksM(v).TotalCodewords);
        }
    }

    [Fact]
    public void Alignment_positions_match_annex_e()
    {
        Assert.Empty(QrTables.AlignmentPositions(1));
        Assert.Equal([6, 18], QrTables.AlignmentPositions(2));
        Assert.Equal([6, 22], QrTables.AlignmentPositions(3));
        Assert.Equal([6, 26], QrTables.AlignmentPositions(4));
        Assert.Equal([6, 30], QrTables.AlignmentPositions(5));
        Assert.Equal([6, 34], QrTables.AlignmentPositions(6));
        Assert.Equal([6, 22, 38], QrTables.AlignmentPositions(7));
        Assert.Equal([6, 24, 42], QrTables.AlignmentPositions(8));
        Assert.Equal([6, 26, 46], QrTables.AlignmentPositions(9));
        Assert.Equal([6, 28, 50], QrTables.AlignmentPositions(10));
    }

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
    public void Function_patterns_and_both_format_copies_are_in_place(int version)
    {
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
        Assert.True(qr.IsDark(8, n - 8));

        // Read both format copies back (bit 14 first) and compare with the chosen mask.
        var copy1 = 0;
        var copy2 = 0;
        (int X, int Y)[] first = [(0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (7, 8), (8, 8), (8, 7), (8, 5), (8, 4), (8, 3), (8, 2), (8, 1), (8, 0)];
        for (var i = 0; i < 15; i++)
        {
            copy1 = (copy1 << 1) | (qr.IsDark(first[i].X, first[i].Y) ? 1 : 0);
            var (x2, y2) = i < 7 ? (8, n - 1 - i) : (n - 15 + i, 8);
            copy2 = (copy2 << 1) | (qr.IsDark(x2, y2) ? 1 : 0);
        }
        Assert.Equal(QrFormat.FormatBits(qr.Mask), copy1);
        Assert.Equal(QrFormat.FormatBits(qr.Mask), copy2);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(10)]
    public void Function_patterns_leave_exactly_the_data_modules_of_the_standard(int version)
    {
        // Annex-derived count of codeword + remainder modules versus what the drawn function
        // patterns (finders, timing, alignment, format, version, dark module) leave free.
        var matrix = new QrMatrix(version);
        var free = 0;
        for (var y = 0; y < matrix.Size; y++)
        {
            for (var x = 0; x < matrix.Size; x++)
            {
                if (!matrix.IsFunction(x, y)) free++;
            }
        }
        Assert.Equal(QrTables.RawDataModules(version), free);

        // Every alignment centre away from the finders is dark inside a light ring inside a dark ring.
        var positions = QrTables.AlignmentPositions(version);
        foreach (var cy in positions)
        {
            foreach (var cx in positions)
            {
                if ((cx == 6 && cy == 6) || (cx == 6 && cy == positions[^1]) || (cx == positions[^1] && cy == 6)) continue;
                Assert.True(matrix.IsDark(cx, cy));
                Assert.False(matrix.IsDark(cx + 1, cy) || matrix.IsDark(cx - 1, cy - 1));
                Assert.True(matrix.IsDark(cx + 2, cy) && matrix.IsDark(cx - 2, cy + 2));
            }
        }
    }

    [Fact]
    public void The_chosen_mask_has_the_lowest_penalty()
    {
        var data = "https://receipt.example.cn/r/7XK9M2QHPDW4RTAN"u8.ToArray();
        var chosen = QrCode.EncodeBytes(data);
        var scores = Enumerable.Range(0, 8).Select(m => QrCode.EncodeBytes(data, m).PenaltyScore()).ToList();
        Assert.Equal(scores.Min(), scores[chosen.Mask]);
        Assert.Equal(scores.IndexOf(scores.Min()), chosen.Mask);
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
    public void Zbarimg_decodes_every_version_and_every_mask()
    {
        using var scratch = new ScratchDirectory();
        var cases = new List<(string Text, int? Mask)>();
        for (var v = 1; v <= 10; v++) cases.Add((Payload(QrCapacity(v), v), null));
        for (var m = 0; m < 8; m++) cases.Add((Payload(QrCapacity(7), m + 20), m));   // version 7: version-info blocks too
        cases.Add(("https://receipt.example.cn/r/7XK9M2QHPDW4RTAN?sig=Zm9vYmFy", null));
        cases.Add(("广州市数字相片回执 7XK9M2QHPDW4RTAN", null));

        for (var i = 0; i < cases.Count; i++)
        {
            var (text, mask) = cases[i];
            var qr = QrCode.EncodeBytes(System.Text.Encoding.UTF8.GetBytes(text), mask);
            if (mask is { } m) Assert.Equal(m, qr.Mask);
            var png = scratch.Write($"qr-{i}.png", qr.Render(4).ToPng());
            Assert.Equal([text], ExternalTool.ZbarDecode(png));
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

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
