using PhotoReceipt.Receipts;

namespace PhotoReceipt.Receipts.Tests;

public sealed class Code128Tests
{
    [Fact]
    public void Every_symbol_in_the_table_has_11_modules_even_bars_and_odd_spaces()
    {
        // ISO/IEC 15417: each symbol is 3 bars + 3 spaces over 11 modules, the bar modules add up to an
        // even number and the space modules to an odd one; the stop is 13 modules (2331112).
        var patterns = Enumerable.Range(0, Code128Patterns.Count).Select(Code128Patterns.Pattern).ToList();
        Assert.Equal(107, patterns.Distinct().Count());
        for (var v = 0; v < 106; v++)
        {
            var w = patterns[v].Select(c => c - '0').ToArray();
            Assert.Equal(6, w.Length);
            Assert.Equal(11, w.Sum());
            Assert.True((w[0] + w[2] + w[4]) % 2 == 0, $"bars of symbol {v}");
            Assert.True((w[1] + w[3] + w[5]) % 2 == 1, $"spaces of symbol {v}");
        }
        Assert.Equal("2331112", patterns[106]);
        Assert.Equal("211214", patterns[Code128.StartB]);
        Assert.Equal("211232", patterns[Code128.StartC]);
    }

    [Fact]
    public void Code_set_b_values_and_checksum_follow_the_weighted_sum()
    {
        var symbol = Code128.Encode("PJJ123C");

        // Start B 104; P=48 J=42 J=42 1=17 2=18 3=19 C=35 (ASCII − 32); a 3-digit run stays in B.
        // 104 + 48·1 + 42·2 + 42·3 + 17·4 + 18·5 + 19·6 + 35·7 = 879, and 879 mod 103 = 55.
        Assert.Equal([104, 48, 42, 42, 17, 18, 19, 35, 55, 106], symbol.Values);
        Assert.Equal(55, symbol.Checksum);
    }

    [Fact]
    public void Digits_use_code_set_c_and_the_module_pattern_matches_the_table()
    {
        var symbol = Code128.Encode("123456");

        // Start C 105, pairs 12 34 56; checksum (105 + 12·1 + 34·2 + 56·3) mod 103 = 353 mod 103 = 44.
        Assert.Equal([105, 12, 34, 56, 44, 106], symbol.Values);
        var expected = "0000000000" + Bars("211232") + Bars("112232") + Bars("131123") + Bars("331121")
            + Bars("132131") + Bars("2331112") + "0000000000";
        Assert.Equal(expected, string.Concat(symbol.Modules.Select(m => m ? '1' : '0')));
    }

    [Fact]
    public void A_long_digit_run_switches_to_code_set_c_and_back()
    {
        // B: A B, then 99 (Code C), 12 34 56 78, then 100 (Code B), X.
        var symbol = Code128.Encode("AB12345678X");
        Assert.Equal([104, 33, 34, 99, 12, 34, 56, 78, 100, 56], symbol.Values.Take(10));

        // An odd run puts its first digit in B so the pairs line up: A, 1, then C for 2345 67.
        Assert.Equal([104, 33, 17, 99, 23, 45, 67], Code128.Encode("A1234567").Values.Take(7));
    }

    [Fact]
    public void Text_outside_printable_ascii_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Code128.Encode("图像号"));
        Assert.Contains("U+56FE", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Code128.Encode("A\tB"));
    }

    [Theory]
    [InlineData("PJJ123C")]
    [InlineData("0123456789")]
    [InlineData("AB12345678X")]
    [InlineData("A1234567")]
    [InlineData("7XK9M2QHPDW4RTAN")]
    [InlineData(" !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")]
    public void Rendered_bars_decode_back_to_the_text(string text)
    {
        var bitmap = Code128.Encode(text).Render(moduleWidthPx: 3, heightPx: 20);
        Assert.Equal(Code128.Encode(text).Modules.Count * 3, bitmap.Width);
        Assert.Equal(text, Code128TestDecoder.Decode(bitmap));
    }

    [Fact]
    public void Zbarimg_reads_our_png_renders()
    {
        string[] texts =
        [
            "7XK9M2QHPDW4RTAN",
            "PhotoReceipt 2026-11-21",
            string.Concat(Enumerable.Range(0, 100).Select(i => i.ToString("00", System.Globalization.CultureInfo.InvariantCulture))),
            new string(Enumerable.Range(32, 95).Select(c => (char)c).ToArray()),
        ];
        using var scratch = new ScratchDirectory();
        for (var i = 0; i < texts.Length; i++)
        {
            var png = scratch.Write($"code128-{i}.png", Code128.Encode(texts[i]).Render(2, 60).ToPng());
            Assert.Equal([texts[i]], ExternalTool.ZbarDecode(png));
        }
    }

    private static string Bars(string widths)
    {
        var dark = true;
        var s = "";
        foreach (var w in widths)
        {
            s += new string(dark ? '1' : '0', w - '0');
            dark = !dark;
        }
        return s;
    }
}
