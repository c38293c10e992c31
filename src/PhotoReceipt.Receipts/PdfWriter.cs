using System.IO.Compression;
using System.Text;
using PhotoReceipt.Receipts.Pdf;

namespace PhotoReceipt.Receipts;

/// <summary>
/// A minimal PDF 1.4 writer: pages sized in millimetres, JPEG photos embedded byte for byte
/// (DCTDecode), rasters compressed with Flate, Helvetica and STSong-Light text, vector lines.
/// Pure C# because our package source has no PDF library; receipts need nothing more.
/// </summary>
public sealed class PdfWriter
{
    private const int CatalogId = 1;
    private const int PagesId = 2;
    private const int InfoId = 3;

    private readonly List<byte[]?> _objects = [null, null, null];
    private readonly List<PdfPage> _pages = [];

    /// <summary>Shown by viewers as the document title (the receipt's title).</summary>
    public string? Title { get; set; }

    /// <summary>Adds a page; coordinates on it are millimetres from its top-left corner.</summary>
    public PdfPage AddPage(double widthMm, double heightMm)
    {
        if (!(widthMm > 0) || !(heightMm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(widthMm), $"Page size {widthMm}×{heightMm} mm must be positive.");
        }
        var page = new PdfPage(this, widthMm, heightMm);
        _pages.Add(page);
        return page;
    }

    private int AddStream(string dictionaryEntries, ReadOnlySpan<byte> data)
    {
        _objects.Add(StreamBytes(dictionaryEntries, data));
        return _objects.Count;
    }

    internal int AddJpeg(byte[] jpeg, out JpegInfo info)
    {
        info = JpegInfo.Read(jpeg);
        var colorSpace = info.Components == 1 ? "/DeviceGray" : "/DeviceRGB";
        return AddStream(
            $"/Type /XObject /Subtype /Image /Width {info.Width} /Height {info.Height} /ColorSpace {colorSpace} " +
            "/BitsPerComponent 8 /Filter /DCTDecode", jpeg);
    }

    /// <summary>
    /// Adds 8-bit gray (1 channel) or RGB (3 channels) samples, Flate-compressed. Interpolation is
    /// off so that bar and module edges stay sharp when the image is scaled up to its box.
    /// </summary>
    internal int AddRaster(ReadOnlySpan<byte> samples, int width, int height, int channels)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "1 (gray) or 3 (RGB).");
        if (samples.Length != width * height * channels)
        {
            throw new ArgumentException($"Expected {width * height * channels} bytes for {width}×{height}×{channels}, got {samples.Length}.", nameof(samples));
        }
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(samples);
        var colorSpace = channels == 1 ? "/DeviceGray" : "/DeviceRGB";
        return AddStream(
            $"/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace {colorSpace} " +
            "/BitsPerComponent 8 /Interpolate false /Filter /FlateDecode", compressed.ToArray());
    }

    /// <summary>Serializes the document: objects, cross-reference table and trailer.</summary>
    public byte[] ToArray()
    {
        if (_pages.Count == 0) throw new InvalidOperationException("A PDF needs at least one page.");
        var objects = new List<byte[]?>(_objects);
        int Add(string body)
        {
            objects.Add(System.Text.Encoding.ASCII.GetBytes(body));
            return objects.Count;
        }

        string? fontResources = null;
        if (_pages.Any(p => p.UsesText))
        {
            var latin = Add(PdfFonts.LatinFont);
            var descriptor = Add(PdfFonts.CjkDescriptor);
            var descendant = Add(PdfFonts.CjkDescendant(descriptor));
            var cjk = Add(PdfFonts.CjkType0(descendant));
            fontResources = $"/Font << /{PdfFonts.LatinResource} {latin} 0 R /{PdfFonts.CjkResource} {cjk} 0 R >> ";
        }

        var kids = new List<int>();
        foreach (var page in _pages)
        {
            var content = page.ContentBytes();
            objects.Add(StreamBytes("", content));
            var contentId = objects.Count;
            var xobjects = page.ImageIds.Count == 0 ? ""
                : "/XObject << " + string.Join(' ', page.ImageIds.Select((id, i) => $"/Im{i + 1} {id} 0 R")) + " >> ";
            kids.Add(Add(
                $"<< /Type /Page /Parent {PagesId} 0 R /MediaBox [0 0 {PdfSyntax.Mm(page.WidthMm)} {PdfSyntax.Mm(page.HeightMm)}] " +
                $"/Resources << {fontResources}{xobjects}/ProcSet [/PDF /Text /ImageB /ImageC] >> /Contents {contentId} 0 R >>"));
        }

        objects[CatalogId - 1] = System.Text.Encoding.ASCII.GetBytes($"<< /Type /Catalog /Pages {PagesId} 0 R >>");
        objects[PagesId - 1] = System.Text.Encoding.ASCII.GetBytes(
            $"<< /Type /Pages /Kids [{string.Join(' ', kids.Select(k => $"{k} 0 R"))}] /Count {kids.Count} >>");
        var title = Title is null ? "" : $"/Title {PdfSyntax.TextString(Title)} ";
        objects[InfoId - 1] = System.Text.Encoding.ASCII.GetBytes($"<< {title}/Producer (PhotoReceipt) >>");

        return Serialize(objects);
    }

    private static byte[] Serialize(List<byte[]?> objects)
    {
        using var output = new MemoryStream();
        // The comment line of high-bit bytes tells transfer tools the file is binary.
        Write(output, "%PDF-1.4\n");
        output.Write([(byte)'%', 0xE2, 0xE3, 0xCF, 0xD3, (byte)'\n']);

        var offsets = new long[objects.Count];
        for (var i = 0; i < objects.Count; i++)
        {
            offsets[i] = output.Position;
            Write(output, $"{i + 1} 0 obj\n");
            output.Write(objects[i] ?? throw new InvalidOperationException($"Object {i + 1} was never written."));
            Write(output, "\nendobj\n");
        }

        var xref = output.Position;
        // Each entry is exactly 20 bytes: 10-digit offset, space, 5-digit generation, space, type, space, LF.
        var table = new StringBuilder($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) table.Append($"{offset:D10} 00000 n \n");
        table.Append($"trailer\n<< /Size {objects.Count + 1} /Root {CatalogId} 0 R /Info {InfoId} 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        Write(output, table.ToString());
        return output.ToArray();
    }

    private static byte[] StreamBytes(string dictionaryEntries, ReadOnlySpan<byte> data)
    {
        using var body = new MemoryStream();
        var entries = dictionaryEntries.Length == 0 ? "" : dictionaryEntries + " ";
        Write(body, $"<< {entries}/Length {data.Length} >>\nstream\n");
        body.Write(data);
        Write(body, "\nendstream");
        return body.ToArray();
    }

    private static void Write(Stream stream, string ascii) => stream.Write(System.Text.Encoding.ASCII.GetBytes(ascii));
}
