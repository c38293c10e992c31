namespace PhotoReceipt.Receipts;

/// <summary>
/// An encoded Code 128 symbol: the symbol values (start, data, checksum, stop) and the module
/// pattern including the quiet zones, true = dark.
/// </summary>
public sealed class Code128Symbol
{
    internal Code128Symbol(string text, int[] values, bool[] modules)
    {
        Text = text;
        Values = values;
        Modules = modules;
    }

    public string Text { get; }

    /// <summary>Start code, data and code-set switches, checksum, then 106 (stop).</summary>
    public IReadOnlyList<int> Values { get; }

    public int Checksum => Values[^2];

    /// <summary>Quiet zone, bars, quiet zone; one entry per module (narrowest bar width).</summary>
    public IReadOnlyList<bool> Modules { get; }

    /// <summary>Renders black bars on white, <paramref name="moduleWidthPx"/> pixels per module.</summary>
    public GrayBitmap Render(int moduleWidthPx, int heightPx)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(moduleWidthPx);
        var bitmap = new GrayBitmap(Modules.Count * moduleWidthPx, heightPx);
        for (var i = 0; i < Modules.Count; i++)
        {
            if (Modules[i]) bitmap.FillRect(i * moduleWidthPx, 0, moduleWidthPx, heightPx, 0);
        }
        return bitmap;
    }
}

/// <summary>
/// Code 128 (ISO/IEC 15417) encoder using code sets B and C: B for printable ASCII, C for runs of
/// digits, which halves their width. Code set A (control characters) is not needed for image numbers
/// or URLs, so text outside ASCII 32–126 is refused.
/// </summary>
public static class Code128
{
    /// <summary>ISO/IEC 15417 requires at least ten modules of light space on each side.</summary>
    public const int QuietZoneModules = 10;

    internal const int StartB = 104;
    internal const int StartC = 105;
    internal const int SwitchToC = 99;   // "Code C" in code set B
    internal const int SwitchToB = 100;  // "Code B" in code set C
    internal const int Stop = 106;

    public static Code128Symbol Encode(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        foreach (var ch in text)
        {
            if (ch is < ' ' or > '~')
            {
                throw new ArgumentException($"Code 128 B/C cannot encode U+{(int)ch:X4}; only ASCII 32–126 is supported.", nameof(text));
            }
        }

        var values = new List<int>();
        var inC = StartsInC(text);
        values.Add(inC ? StartC : StartB);
        var i = 0;
        while (i < text.Length)
        {
            var run = DigitRun(text, i);
            if (inC)
            {
                if (run >= 2)
                {
                    values.Add(((text[i] - '0') * 10) + (text[i + 1] - '0'));
                    i += 2;
                    continue;
                }
                values.Add(SwitchToB);
                inC = false;
            }

            // Switching costs one symbol and saves one per digit pair, so it pays from 4 digits at the
            // end of the text or 6 in the middle (where switching back costs another).
            var worthC = run >= 6 || (run >= 4 && i + run == text.Length);
            if (worthC && run % 2 == 0)
            {
                values.Add(SwitchToC);
                inC = true;
                continue;
            }
            values.Add(text[i] - ' ');
            i++;
        }

        var checksum = values[0];
        for (var k = 1; k < values.Count; k++) checksum += k * values[k];
        values.Add(checksum % 103);
        values.Add(Stop);
        return new Code128Symbol(text, [.. values], ToModules(values));
    }

    private static bool StartsInC(string text)
    {
        var run = DigitRun(text, 0);
        return run == text.Length ? run >= 2 && run % 2 == 0 : run >= 4;
    }

    private static int DigitRun(string text, int start)
    {
        var end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end])) end++;
        return end - start;
    }

    private static bool[] ToModules(List<int> values)
    {
        var modules = new List<bool>(new bool[QuietZoneModules]);
        foreach (var value in values)
        {
            var dark = true;
            foreach (var width in Code128Patterns.Widths(value))
            {
                for (var w = 0; w < width; w++) modules.Add(dark);
                dark = !dark;
            }
        }
        modules.AddRange(new bool[QuietZoneModules]);
        return [.. modules];
    }
}
