using System.Globalization;
using System.Text;

namespace PhotoReceipt.Receipts.Pdf;

/// <summary>Number and string spelling in PDF syntax (ISO 32000-1 §7.3).</summary>
internal static class PdfSyntax
{
    public const double PointsPerMm = 72 / 25.4;

    /// <summary>Real numbers with at most four decimals and never an exponent (PDF has none).</summary>
    public static string Number(double value)
    {
        var rounded = Math.Round(value, 4);
        return (rounded == 0 ? 0 : rounded).ToString("0.####", CultureInfo.InvariantCulture);
    }

    public static string Mm(double mm) => Number(mm * PointsPerMm);

    /// <summary>A literal string for a single-byte font: only ( ) \ need escaping.</summary>
    public static string Literal(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('(');
        foreach (var ch in text)
        {
            if (ch is '(' or ')' or '\\') sb.Append('\\');
            sb.Append(ch);
        }
        return sb.Append(')').ToString();
    }

    /// <summary>Big-endian UTF-16 code units as a hex string, as the UniGB-UCS2-H CMap reads them.</summary>
    public static string HexUcs2(string text)
    {
        var sb = new StringBuilder((text.Length * 4) + 2).Append('<');
        foreach (var ch in text) sb.Append(((int)ch).ToString("X4", CultureInfo.InvariantCulture));
        return sb.Append('>').ToString();
    }

    /// <summary>A text string for the document information dictionary: UTF-16BE with a byte-order mark.</summary>
    public static string TextString(string text) => "<FEFF" + HexUcs2(text)[1..];
}
