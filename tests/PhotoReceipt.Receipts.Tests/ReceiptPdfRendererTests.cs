using PhotoReceipt.Testing;
using System.Globalization;
using System.Text.RegularExpressions;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Identity;
using PhotoReceipt.Receipts;

namespace PhotoReceipt.Receipts.Tests;

public sealed partial class ReceiptPdfRendererTests
{
    private static readonly ProductCatalog Catalog = ProductCatalog.LoadEmbedded();
    private static readonly ReceiptLayouts Layouts = ReceiptLayouts.LoadEmbedded(Catalog);

    internal static ReceiptContent SampleContent(string styleId, string? qrPayload = null)
    {
        var style = Catalog.FindStyle(styleId)!;
        var product = Catalog.Products.First(p => p.ReceiptStyle == styleId);
        var spec = Catalog.SpecOf(product);
        return new ReceiptContent
        {
            StyleId = styleId,
            Title = style.Title,
            PhotoJpeg = ReceiptTestFiles.PortraitJpeg(),
            PhotoWidthMm = spec.PrintWidthMm,
            PhotoHeightMm = spec.PrintHeightMm,
            ImageNumber = "7XK9M2QHPDW4RTAN",
            DocumentTypeName = spec.Name,
            IssueDate = new DateOnly(2026, 11, 21),
            ValidUntil = new DateOnly(2026, 11, 21).AddDays(product.ValidityDays),
            CollectionPointName = "天河区体育西路数码照相馆",
            CollectionPointCode = "GZ440106001",
            MaskedApplicantName = PersonalDataMasks.Name("欧阳娜娜"),
            QrPayload = qrPayload,
        };
    }

    [Theory]
    [InlineData("gd-id")]
    [InlineData("sz-id")]
    [InlineData("gd-exit-entry")]
    [InlineData("gz-merged")]
    [InlineData("generic-id")]
    [InlineData("generic-exit-entry")]
    public void Every_style_renders_a_readable_a4_receipt(string styleId)
    {
        var content = SampleContent(styleId);
        var pdf = ReceiptPdfRenderer.Render(content, Layouts.For(styleId));
        TestOutput.Write("receipts", $"receipt-{styleId}.pdf", pdf);
        using var scratch = new ScratchDirectory();
        var file = scratch.Write("r.pdf", pdf);

        var info = ExternalTool.Run("pdfinfo", "poppler-utils", file);
        Assert.True(info.ExitCode == 0 && info.StandardError.Trim().Length == 0, info.StandardError);
        Assert.Matches(@"Page size:\s+595\.27\d* x 841\.8\d* pts \(A4\)", info.StandardOutput);

        var text = ExternalTool.Run("pdftotext", "poppler-utils", "-layout", file, "-").StandardOutput;
        Assert.Contains(content.Title, text, StringComparison.Ordinal);
        Assert.Contains("图像号：7XK9M2QHPDW4RTAN", text, StringComparison.Ordinal);
        Assert.Contains("欧***", text, StringComparison.Ordinal);
        Assert.DoesNotContain("欧阳娜娜", text, StringComparison.Ordinal);
        Assert.Contains("2026年11月21日", text, StringComparison.Ordinal);
        Assert.Contains("天河区体育西路数码照相馆（GZ440106001）", text, StringComparison.Ordinal);
        Assert.Contains(content.DocumentTypeName, text, StringComparison.Ordinal);

        // The embedded photo is the approved file itself, byte for byte.
        Assert.True(Contains(pdf, content.PhotoJpeg), "photo JPEG not embedded unchanged");
        Assert.Matches(@"Title:\s+" + Regex.Escape(content.Title), info.StandardOutput);
    }

    [Fact]
    public void Every_font_is_embedded()
    {
        // A receipt is printed at a government window: it must not depend on the fonts of the
        // viewer there. pdffonts lists each font with "emb" yes/no; no base-14 or substituted font.
        using var scratch = new ScratchDirectory();
        var file = scratch.Write("r.pdf", ReceiptPdfRenderer.Render(SampleContent("gz-merged"), Layouts.For("gz-merged")));
        var run = ExternalTool.Run("pdffonts", "poppler-utils", file);
        Assert.True(run.ExitCode == 0 && run.StandardError.Trim().Length == 0, run.StandardError);
        var rows = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();   // header and rule
        TestOutput.Write("receipts", "receipt-gz-merged.pdffonts.txt", System.Text.Encoding.UTF8.GetBytes(run.StandardOutput));
        Assert.Contains(rows, r => r.Contains("Liberation Sans,Bold", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("Liberation Sans ", StringComparison.Ordinal) && !r.Contains("Bold", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("Droid Sans Fallback", StringComparison.Ordinal));
        foreach (var row in rows)
        {
            // name type encoding emb sub uni object-id: "emb" and "sub" are yes/no columns after the encoding.
            var columns = Regex.Split(row.Trim(), @"\s+");
            Assert.True(columns[^5] == "yes", "not embedded: " + row);
            Assert.Equal("yes", columns[^3]);   // a ToUnicode map, so the text can be searched and copied
        }
    }

    [Fact]
    public void The_centred_title_is_centred_by_popplers_own_metrics()
    {
        // pdftotext -bbox measures the words with the embedded fonts' widths: an independent check of
        // our measuring and alignment arithmetic.
        const double ptPerMm = 72 / 25.4;
        var layout = Layouts.For("gd-id");
        var content = SampleContent("gd-id");
        using var scratch = new ScratchDirectory();
        var file = scratch.Write("c.pdf", ReceiptPdfRenderer.Render(content, layout));
        var bbox = ExternalTool.Run("pdftotext", "poppler-utils", "-bbox", file, "-").StandardOutput;
        var title = WordRegex().Matches(bbox).Where(m => m.Groups[3].Value.Length > 0 && content.Title.Contains(m.Groups[3].Value, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(title);
        var xMin = title.Min(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        var xMax = title.Max(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(layout.Title.XMm * ptPerMm, (xMin + xMax) / 2, 0.5);
        Assert.Equal(ReceiptPdfRenderer.MeasureTextMm(content.Title, layout.Title.FontSizePt, bold: true) * ptPerMm, xMax - xMin, 0.5);
    }

    [Fact]
    public void Non_jpeg_photos_are_refused()
    {
        // test1.jpg is a WebP file with a .jpg name.
        var webp = File.ReadAllBytes(ReceiptTestFiles.Portrait("test1.jpg"));
        var ex = Assert.Throws<ArgumentException>(() => ReceiptPdfRenderer.Render(SampleContent("gd-id") with { PhotoJpeg = webp }, Layouts.For("gd-id")));
        Assert.Contains("SOI", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zbarimg_reads_the_barcode_and_qr_code_off_the_rendered_page()
    {
        var content = SampleContent("gz-merged", qrPayload: "https://receipt.example.cn/r/7XK9M2QHPDW4RTAN");
        using var scratch = new ScratchDirectory();
        var file = scratch.Write("gz.pdf", ReceiptPdfRenderer.Render(content, Layouts.For("gz-merged")));

        var run = ExternalTool.Run("pdftoppm", "poppler-utils", "-png", "-r", "200", file, Path.Combine(scratch.Path, "gz"));
        Assert.True(run.ExitCode == 0, run.StandardError);
        var decoded = ExternalTool.ZbarDecode(Path.Combine(scratch.Path, "gz-1.png"));
        Assert.Equal(
            ["7XK9M2QHPDW4RTAN", "https://receipt.example.cn/r/7XK9M2QHPDW4RTAN"],
            decoded.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("gd-id", 26, 32)]
    [InlineData("gd-exit-entry", 33, 48)]
    public void The_photo_prints_at_its_true_size(string styleId, int widthMm, int heightMm)
    {
        var layout = Layouts.For(styleId);
        using var scratch = new ScratchDirectory();
        var file = scratch.Write("r.pdf", ReceiptPdfRenderer.Render(SampleContent(styleId), layout));

        // 254 dpi = 10 px/mm; measure the dark pixels inside the photo box (the fixture's grey wall
        // and dark clothes make the whole photo darker than paper white).
        var run = ExternalTool.Run("pdftoppm", "poppler-utils", "-gray", "-r", "254", file, Path.Combine(scratch.Path, "r"));
        Assert.True(run.ExitCode == 0, run.StandardError);
        var (width, _, pixels) = ReceiptTestFiles.ReadPgm(Path.Combine(scratch.Path, "r-1.pgm"));
        var box = layout.PhotoBox.ToPixels(10);
        var (x0, y0, x1, y1) = ReceiptTestFiles.DarkBounds(width, pixels, 250, box.X, box.Y, box.Width, box.Height);
        Assert.InRange(x1 - x0 + 1, (widthMm * 10) - 1, (widthMm * 10) + 1);
        Assert.InRange(y1 - y0 + 1, (heightMm * 10) - 1, (heightMm * 10) + 1);
        var expected = layout.PhotoBox.Centre(widthMm, heightMm);
        Assert.InRange(x0, (expected.X * 10) - 1, (expected.X * 10) + 1);
        Assert.InRange(y0, (expected.Y * 10) - 1, (expected.Y * 10) + 1);
    }

    [Fact]
    public void The_qr_code_carries_the_image_number_when_no_payload_is_given()
    {
        var content = SampleContent("gz-merged");
        using var scratch = new ScratchDirectory();
        var file = scratch.Write("gz.pdf", ReceiptPdfRenderer.Render(content, Layouts.For("gz-merged")));
        ExternalTool.Run("pdftoppm", "poppler-utils", "-png", "-r", "200", file, Path.Combine(scratch.Path, "gz"));
        Assert.Equal(["7XK9M2QHPDW4RTAN", "7XK9M2QHPDW4RTAN"], ExternalTool.ZbarDecode(Path.Combine(scratch.Path, "gz-1.png")));
    }

    [Fact]
    public void Long_values_shrink_to_their_line_and_absurd_ones_are_refused()
    {
        Assert.Equal(11, ReceiptPdfRenderer.FittedSizePt("采集点：照相馆", 11, 125));
        var size = ReceiptPdfRenderer.FittedSizePt("采集点：" + new string('馆', 40), 11, 125);
        Assert.True(size < 11 && ReceiptPdfRenderer.MeasureTextMm("采集点：" + new string('馆', 40), size) <= 125, $"{size}");
        Assert.Throws<ArgumentException>(() => ReceiptPdfRenderer.FittedSizePt(new string('馆', 200), 11, 125));
    }

    [Fact]
    public void Mismatched_style_photo_size_and_image_number_are_refused()
    {
        var gd = Layouts.For("gd-id");
        Assert.Contains("'sz-id' but the layout is 'gd-id'",
            Assert.Throws<ArgumentException>(() => ReceiptPdfRenderer.Render(SampleContent("sz-id"), gd)).Message, StringComparison.Ordinal);
        Assert.Contains("33×48 mm photo does not fit",
            Assert.Throws<ArgumentException>(() => ReceiptPdfRenderer.Render(SampleContent("gd-id") with { PhotoWidthMm = 33, PhotoHeightMm = 48 }, gd)).Message, StringComparison.Ordinal);
        Assert.Contains("under 0.25 mm",
            Assert.Throws<ArgumentException>(() => ReceiptPdfRenderer.Render(SampleContent("gd-id") with { ImageNumber = "ABCDEFGHJKLMNPQRSTUVWXYZ" }, gd)).Message, StringComparison.Ordinal);
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    [GeneratedRegex(@"<word xMin=""([\d.]+)"" yMin=""[\d.]+"" xMax=""([\d.]+)"" yMax=""[\d.]+"">([^<]*)</word>")]
    private static partial Regex WordRegex();
}
