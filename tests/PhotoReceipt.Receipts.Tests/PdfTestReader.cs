using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PhotoReceipt.Receipts.Tests;

/// <summary>
/// Just enough PDF reading to check our writer from the outside: the cross-reference table must
/// point at every object, and objects and uncompressed streams can be fetched by number.
/// </summary>
internal sealed partial class PdfTestReader
{
    private readonly byte[] _pdf;
    private readonly string _latin1;

    public PdfTestReader(byte[] pdf)
    {
        _pdf = pdf;
        _latin1 = System.Text.Encoding.Latin1.GetString(pdf);
        var startxref = _latin1.LastIndexOf("startxref\n", StringComparison.Ordinal);
        Assert.True(startxref > 0, "no startxref");
        var xrefOffset = int.Parse(_latin1[(startxref + 10)..].Split('\n')[0], CultureInfo.InvariantCulture);
        Assert.StartsWith("xref\n", _latin1[xrefOffset..], StringComparison.Ordinal);
        var lines = _latin1[xrefOffset..].Split('\n');
        var header = lines[1].Split(' ');
        Assert.Equal("0", header[0]);
        Count = int.Parse(header[1], CultureInfo.InvariantCulture);
        Assert.Equal("0000000000 65535 f ", lines[2]);
        for (var i = 1; i < Count; i++)
        {
            var entry = lines[2 + i];
            Assert.Equal(19, entry.Length); // 20 bytes with the LF
            Offsets[i] = int.Parse(entry[..10], CultureInfo.InvariantCulture);
            Assert.StartsWith($"{i} 0 obj\n", _latin1[Offsets[i]..], StringComparison.Ordinal);
        }
        Trailer = _latin1[_latin1.IndexOf("trailer", xrefOffset, StringComparison.Ordinal)..startxref];
    }

    public int Count { get; }
    public Dictionary<int, int> Offsets { get; } = [];
    public string Trailer { get; }

    /// <summary>The object's text up to its stream (or endobj), decoded as Latin-1.</summary>
    public string Dictionary(int id)
    {
        var start = Offsets[id];
        var end = _latin1.IndexOf("endobj", start, StringComparison.Ordinal);
        var stream = _latin1.IndexOf("stream\n", start, StringComparison.Ordinal);
        return _latin1[start..(stream >= 0 && stream < end ? stream : end)];
    }

    public byte[] Stream(int id)
    {
        var dict = Dictionary(id);
        var length = int.Parse(LengthRegex().Match(dict).Groups[1].Value, CultureInfo.InvariantCulture);
        var dataStart = Offsets[id] + dict.Length + "stream\n".Length;
        Assert.Equal("\nendstream", _latin1.Substring(dataStart + length, 10));
        return _pdf[dataStart..(dataStart + length)];
    }

    public IEnumerable<int> ObjectsWhere(string dictionaryFragment) =>
        Offsets.Keys.Where(id => Dictionary(id).Contains(dictionaryFragment, StringComparison.Ordinal));

    [GeneratedRegex(@"/Length (\d+)")]
    private static partial Regex LengthRegex();
}
