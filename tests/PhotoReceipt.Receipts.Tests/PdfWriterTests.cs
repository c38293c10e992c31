using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PhotoReceipt.Receipts;

namespace PhotoReceipt.Receipts.Tests;

public sealed partial class PdfWriterTests
{
    private const double PtPerMm = 72 / 25.4;

    [Fact]
    public void Cross_reference_table_and_trailer_point_at_every_object()
    {
        var writer = new PdfWriter { Title = "广东省居民身份证数字相片采集回执" };
        writer.AddPage(210, 297).DrawText("Hello 回执", 20, 30, 12);
        writer.AddPage(100, 150).DrawImage(new GrayBitmap(4, 4), 10, 10, 20, 20);
        var pdf = writer.ToArray();

        Assert.StartsWith("%PDF-1.4\n", System.Text.Encoding.ASCII.GetString(pdf, 0, 9), StringComparison.Ordinal);
        Assert.EndsWith("%%EOF\n", System.Text.Encoding.ASCII.GetString(pdf), StringComparison.Ordinal);
        var reader = new PdfTestReader(pdf);
        Assert.Contains($"/Size {reader.Count}", reader.Trailer, StringComparison.Ordinal);
        Assert.Contains("/Root 1 0 R", reader.Trailer, StringComparison.Ordinal);
        Assert.Contains("/Type /Catalog", reader.Dictionary(1), StringComparison.Ordinal);
        Assert.Contains("/Count 2", reader.Dictionary(2), StringComparison.Ordinal);
    }

    [Fact]
    public void Poppler_reads_page_sizes_and_text()
    {
        const string imageNumber = "7XK9M2QHPDW4RTAN";
        var writer = new PdfWriter { Title = "测试回执" };
        var page = writer.AddPage(210, 297);
        page.DrawText("广东省居民身份证数字相片采集回执", 105, 30, 16, PdfTextAlign.Center, bold: true);
        page.DrawText("图像号：" + imageNumber, 20, 60, 12);
        writer.AddPage(90, 54);

        using var scratch = new ScratchDirectory();
        var file = scratch.Write("t.pdf", writer.ToArray());

        var info = ExternalTool.Run("pdfinfo", "poppler-utils", file);
        Assert.True(info.ExitCode == 0, info.StandardError);
        Assert.Empty(info.StandardError.Trim());   // poppler reports syntax errors on stderr
        Assert.Contains("Pages:", info.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"Pages:\s+2", info.StandardOutput);
        Assert.Matches(@"Title:\s+测试回执", info.StandardOutput);
        var (w, h) = ReceiptTestFiles.PageSizePts(info.StandardOutput);
        Assert.Equal(210 * PtPerMm, w, 0.01);
        Assert.Equal(297 * PtPerMm, h, 0.01);

        var second = ExternalTool.Run("pdfinfo", "poppler-utils", "-f", "2", "-l", "2", file);
        Assert.Matches(@"Page\s+2 size:\s+255\.1\d* x 153\.0\d* pts", second.StandardOutput);

        var text = ExternalTool.Run("pdftotext", "poppler-utils", "-layout", file, "-");
        Assert.True(text.ExitCode == 0, text.StandardError);
        Assert.Contains(imageNumber, text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("图像号", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("广东省居民身份证数字相片采集回执", text.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Centred_helvetica_text_is_centred_by_poppler_metrics_too()
    {
        // pdftotext -bbox measures words with poppler's own Helvetica widths: an independent check
        // of our width table and alignment arithmetic.
        const string word = "7XK9M2QHPDW4RTAN";
        var writer = new PdfWriter();
        writer.AddPage(210, 297).DrawText(word, 105, 50, 12, PdfTextAlign.Center);
        using var scratch = new ScratchDirectory();
        var file = scratch.Write("c.pdf", writer.ToArray());

        var bbox = ExternalTool.Run("pdftotext", "poppler-utils", "-bbox", file, "-").StandardOutput;
        var m = WordRegex().Match(bbox);
        Assert.True(m.Success, bbox);
        var xMin = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var xMax = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.Equal(105 * PtPerMm, (xMin + xMax) / 2, 0.05);
        Assert.Equal(PdfPage.MeasureTextMm(word, 12) * PtPerMm, xMax - xMin, 0.05);
    }

    [Fact]
    public void Jpeg_is_embedded_byte_for_byte_and_drawn_at_its_size_in_mm()
    {
        var jpeg = ReceiptTestFiles.PortraitJpeg();
        var writer = new PdfWriter();
        writer.AddPage(210, 297).DrawJpeg(jpeg, 10, 20, 26, 32);
        var reader = new PdfTestReader(writer.ToArray());

        var imageId = Assert.Single(reader.ObjectsWhere("/DCTDecode"));
        Assert.Contains("/Width 576 /Height 768 /ColorSpace /DeviceRGB", reader.Dictionary(imageId), StringComparison.Ordinal);
        Assert.Equal(jpeg, reader.Stream(imageId));

        var contentId = int.Parse(ContentsRegex().Match(reader.Dictionary(Assert.Single(reader.ObjectsWhere("/Type /Page ")))).Groups[1].Value, CultureInfo.InvariantCulture);
        var content = System.Text.Encoding.ASCII.GetString(reader.Stream(contentId));
        var cm = CmRegex().Match(content);
        Assert.True(cm.Success, content);
        var n = cm.Groups.Values.Skip(1).Select(g => double.Parse(g.Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(26 * PtPerMm, n[0], 0.001);      // 73.7008 pt wide
        Assert.Equal(0, n[1]);
        Assert.Equal(0, n[2]);
        Assert.Equal(32 * PtPerMm, n[3], 0.001);      // 90.7087 pt high
        Assert.Equal(10 * PtPerMm, n[4], 0.001);
        Assert.Equal((297 - 20 - 32) * PtPerMm, n[5], 0.001);   // bottom edge, PDF origin bottom-left
    }

    [Fact]
    public void Rendered_page_shows_the_photo_at_26_by_32_mm()
    {
        var writer = new PdfWriter();
        writer.AddPage(60, 60).DrawJpeg(ReceiptTestFiles.PortraitJpeg(), 10, 15, 26, 32);
        using var scratch = new ScratchDirectory();
        var file = scratch.Write("p.pdf", writer.ToArray());

        // 254 dpi is 10 pixels per millimetre.
        var run = ExternalTool.Run("pdftoppm", "poppler-utils", "-gray", "-r", "254", file, Path.Combine(scratch.Path, "p"));
        Assert.True(run.ExitCode == 0, run.StandardError);
        var (width, height, pixels) = ReceiptTestFiles.ReadPgm(Path.Combine(scratch.Path, "p-1.pgm"));
        Assert.Equal(600, width);
        Assert.Equal(600, height);
        var (x0, y0, x1, y1) = ReceiptTestFiles.DarkBounds(width, pixels, 250, 0, 0, width, height);
        Assert.InRange(x0, 99, 101);
        Assert.InRange(y0, 149, 151);
        Assert.InRange(x1 - x0 + 1, 259, 261);
        Assert.InRange(y1 - y0 + 1, 319, 321);
    }

    [Fact]
    public void Gray_rasters_are_flate_compressed_without_interpolation()
    {
        var bitmap = new GrayBitmap(3, 2);
        bitmap[1, 0] = 0;
        var writer = new PdfWriter();
        writer.AddPage(50, 50).DrawImage(bitmap, 0, 0, 30, 20);
        var reader = new PdfTestReader(writer.ToArray());
        var id = Assert.Single(reader.ObjectsWhere("/FlateDecode"));
        Assert.Contains("/Width 3 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Interpolate false", reader.Dictionary(id), StringComparison.Ordinal);
        using var inflated = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(new MemoryStream(reader.Stream(id)), System.IO.Compression.CompressionMode.Decompress)) z.CopyTo(inflated);
        Assert.Equal(new byte[] { 255, 0, 255, 255, 255, 255 }, inflated.ToArray());
    }

    [Fact]
    public void Text_is_split_into_helvetica_and_cjk_runs()
    {
        var writer = new PdfWriter();
        writer.AddPage(100, 100).DrawText("图像号：AB(1)", 10, 10, 10);
        var reader = new PdfTestReader(writer.ToArray());
        var contentId = int.Parse(ContentsRegex().Match(reader.Dictionary(Assert.Single(reader.ObjectsWhere("/Type /Page ")))).Groups[1].Value, CultureInfo.InvariantCulture);
        var content = System.Text.Encoding.ASCII.GetString(reader.Stream(contentId));
        // 图 U+56FE 像 U+50CF 号 U+53F7 ： U+FF1A in STSong-Light (F2), then Helvetica (F1) with escaped parentheses.
        Assert.Contains("/F2 10 Tf <56FE50CF53F7FF1A> Tj /F1 10 Tf (AB\\(1\\)) Tj", content, StringComparison.Ordinal);
        Assert.Contains("/Encoding /UniGB-UCS2-H", System.Text.Encoding.Latin1.GetString(writer.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void Non_jpeg_photos_are_refused()
    {
        // test1.jpg is a WebP file with a .jpg name.
        var webp = File.ReadAllBytes(ReceiptTestFiles.Portrait("test1.jpg"));
        var ex = Assert.Throws<ArgumentException>(() => new PdfWriter().AddPage(50, 50).DrawJpeg(webp, 0, 0, 26, 32));
        Assert.Contains("SOI", ex.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"/Contents (\d+) 0 R")]
    private static partial Regex ContentsRegex();

    [GeneratedRegex(@"q ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) cm /Im1 Do Q")]
    private static partial Regex CmRegex();

    [GeneratedRegex(@"<word xMin=""([\d.]+)"" yMin=""[\d.]+"" xMax=""([\d.]+)""")]
    private static partial Regex WordRegex();
}
