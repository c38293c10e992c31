namespace PhotoReceipt.Receipts.Pdf;

/// <summary>
/// The two fonts receipts use, neither embedded: Helvetica (a base-14 font every viewer has) for
/// ASCII, so image numbers are extractable and searchable, and STSong-Light, the Adobe-GB1 standard
/// CJK font, for Chinese; viewers substitute a local Song/Ming typeface for it.
/// </summary>
internal static class PdfFonts
{
    public const string LatinResource = "F1";
    public const string CjkResource = "F2";

    public const string LatinFont = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

    public static string CjkType0(int descendantId) =>
        $"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [{descendantId} 0 R] >>";

    public static string CjkDescendant(int descriptorId) =>
        "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light " +
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> " +
        $"/FontDescriptor {descriptorId} 0 R /DW 1000 >>";

    // Metrics as Adobe publishes them for STSong-Light; viewers use them only for layout hints.
    public const string CjkDescriptor =
        "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] " +
        "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>";

    /// <summary>Helvetica advance widths (per 1000 em) for ASCII 32–126, from Adobe's Helvetica AFM.</summary>
    private static readonly short[] HelveticaWidths =
    [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    ];

    public static bool IsLatin(char ch) => ch is >= ' ' and <= '~';

    /// <summary>Advance width in 1/1000 em: Helvetica for ASCII, the CJK font's full width otherwise.</summary>
    public static int Width(char ch) => IsLatin(ch) ? HelveticaWidths[ch - ' '] : 1000;

    /// <summary>Splits text into runs of one font each; characters outside the BMP become '?'.</summary>
    public static IEnumerable<(bool Latin, string Text)> Runs(string text)
    {
        var run = new System.Text.StringBuilder();
        bool? latin = null;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                ch = '?';
            }
            else if (char.IsSurrogate(ch) || char.IsControl(ch))
            {
                ch = '?';
            }
            var isLatin = IsLatin(ch);
            if (latin is { } current && current != isLatin)
            {
                yield return (current, run.ToString());
                run.Clear();
            }
            latin = isLatin;
            run.Append(ch);
        }
        if (latin is { } last) yield return (last, run.ToString());
    }
}
