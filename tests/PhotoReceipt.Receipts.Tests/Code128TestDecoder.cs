using System.Text;
using PhotoReceipt.Receipts;

namespace PhotoReceipt.Receipts.Tests;

/// <summary>
/// Reads a rendered Code 128 bitmap back to text the way a scanner does: measure the bar and space
/// runs along the middle row, find the module width from the start symbol, look each 6-run group up
/// in the symbol table, follow code-set switches, and verify the checksum and stop pattern.
/// </summary>
internal static class Code128TestDecoder
{
    public static string Decode(GrayBitmap bitmap)
    {
        var row = bitmap.Height / 2;
        var runs = new List<int>();
        var x = 0;
        while (x < bitmap.Width && bitmap[x, row] >= 128) x++;
        Assert.True(x >= Code128.QuietZoneModules, "no quiet zone before the first bar");
        var end = bitmap.Width - 1;
        while (end >= 0 && bitmap[end, row] >= 128) end--;
        while (x <= end)
        {
            var dark = bitmap[x, row] < 128;
            var start = x;
            while (x <= end && (bitmap[x, row] < 128) == dark) x++;
            runs.Add(x - start);
        }

        // The start symbol spans 11 modules over its first 6 runs.
        var module = runs.Take(6).Sum() / 11.0;
        var widths = runs.Select(r => (int)Math.Round(r / module)).ToList();
        Assert.Equal(0, (runs.Count - 7) % 6); // n symbols × 6 runs + the stop's 7

        var lookup = Enumerable.Range(0, Code128Patterns.Count).ToDictionary(Code128Patterns.Pattern);
        var values = new List<int>();
        for (var i = 0; i + 7 < widths.Count; i += 6)
        {
            var key = string.Concat(widths.Skip(i).Take(6));
            Assert.True(lookup.TryGetValue(key, out var value), $"unknown pattern {key}");
            values.Add(value);
        }
        Assert.Equal("2331112", string.Concat(widths.TakeLast(7)));

        var checksum = values[0];
        for (var k = 1; k < values.Count - 1; k++) checksum += k * values[k];
        Assert.Equal(checksum % 103, values[^1]);

        var text = new StringBuilder();
        var inC = values[0] == Code128.StartC;
        Assert.True(inC || values[0] == Code128.StartB, $"start symbol {values[0]}");
        foreach (var v in values.Skip(1).SkipLast(1))
        {
            if (inC && v == Code128.SwitchToB) inC = false;
            else if (!inC && v == Code128.SwitchToC) inC = true;
            else if (inC) text.Append(v.ToString("00", System.Globalization.CultureInfo.InvariantCulture));
            else text.Append((char)(v + 32));
        }
        return text.ToString();
    }
}
