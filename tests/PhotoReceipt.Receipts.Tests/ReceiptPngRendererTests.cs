using PhotoReceipt.Testing;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Receipts;

namespace PhotoReceipt.Receipts.Tests;

public sealed class ReceiptPngRendererTests
{
    private static readonly ProductCatalog Catalog = ProductCatalog.LoadEmbedded();
    private static readonly ReceiptLayouts Layouts = ReceiptLayouts.LoadEmbedded(Catalog);

    [Theory]
    [InlineData("gd-id", 350)]
    [InlineData("sz-id", 300)]
    [InlineData("gd-exit-entry", 350)]
    [InlineData("gz-merged", 254)]
    [InlineData("generic-id", 350)]
    [InlineData("generic-exit-entry", 200)]
    public void Every_style_renders_its_card_at_the_requested_resolution(string styleId, int dpi)
    {
        var layout = Layouts.For(styleId);
        var png = ReceiptPngRenderer.Render(ReceiptPdfRendererTests.SampleContent(styleId), layout, dpi);
        TestOutput.Write("receipts", $"receipt-{styleId}-{dpi}.png", png);

        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var image = RgbImage.Decode(png);
        Assert.Equal((int)Math.Round(layout.Card.Width * dpi / 25.4), image.Width);
        Assert.Equal((int)Math.Round(layout.Card.Height * dpi / 25.4), image.Height);
    }

    [Theory]
    [InlineData("gd-id", 350)]
    [InlineData("gd-exit-entry", 300)]
    public void The_photo_sits_at_its_print_size_and_keeps_its_colours(string styleId, int dpi)
    {
        var layout = Layouts.For(styleId);
        var content = ReceiptPdfRendererTests.SampleContent(styleId);
        var image = RgbImage.Decode(ReceiptPngRenderer.Render(content, layout, dpi));
        var pxPerMm = dpi / 25.4;
        var photoBox = Translate(layout.PhotoBox.Centre(content.PhotoWidthMm, content.PhotoHeightMm), layout.Card).ToPixels(pxPerMm);
        Assert.InRange(photoBox.Width, (content.PhotoWidthMm * pxPerMm) - 1, (content.PhotoWidthMm * pxPerMm) + 1);

        // The photo scaled to the same pixels independently: its mean colour must match the region's.
        var reference = RgbImage.Scaled(content.PhotoJpeg, photoBox.Width, photoBox.Height);
        var expected = Mean(reference, new PixelRect(0, 0, reference.Width, reference.Height));
        var actual = Mean(image, photoBox);
        for (var c = 0; c < 3; c++) Assert.InRange(actual[c], expected[c] - 2, expected[c] + 2);

        // Paper white just outside the photo on every side.
        foreach (var (x, y) in new[] { (photoBox.X - 3, photoBox.Y + 20), (photoBox.X + photoBox.Width + 2, photoBox.Y + 20),
                     (photoBox.X + 20, photoBox.Y - 3), (photoBox.X + 20, photoBox.Y + photoBox.Height + 2) })
        {
            Assert.Equal(255, image.Luma(x, y), 0.5);
        }
    }

    [Fact]
    public void Zbarimg_reads_the_barcode_off_the_phone_image()
    {
        using var scratch = new ScratchDirectory();
        var file = scratch.Write("gd.png", ReceiptPngRenderer.Render(ReceiptPdfRendererTests.SampleContent("gd-id"), Layouts.For("gd-id"), 350));
        Assert.Equal(["7XK9M2QHPDW4RTAN"], ExternalTool.ZbarDecode(file));
    }

    [Fact]
    public void Zbarimg_reads_the_barcode_and_the_qr_code_of_the_guangzhou_receipt()
    {
        var content = ReceiptPdfRendererTests.SampleContent("gz-merged", qrPayload: "https://receipt.example.cn/r/7XK9M2QHPDW4RTAN");
        using var scratch = new ScratchDirectory();
        var file = scratch.Write("gz.png", ReceiptPngRenderer.Render(content, Layouts.For("gz-merged"), 300));
        Assert.Equal(
            ["7XK9M2QHPDW4RTAN", "https://receipt.example.cn/r/7XK9M2QHPDW4RTAN"],
            ExternalTool.ZbarDecode(file).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("gd-id")]
    [InlineData("gz-merged")]
    public void Every_text_line_puts_ink_on_its_baseline_inside_its_extent(string styleId)
    {
        const int dpi = 300;
        var layout = Layouts.For(styleId);
        var image = RgbImage.Decode(ReceiptPngRenderer.Render(ReceiptPdfRendererTests.SampleContent(styleId), layout, dpi));
        var pxPerMm = dpi / 25.4;
        foreach (var line in layout.Lines.Prepend(layout.Title))
        {
            var (left, right) = line.Extent;
            var emMm = line.FontSizePt * 25.4 / 72;
            // From one em above the baseline to a quarter em below it, across the line's allowed width.
            var band = Translate(new MmBox(left, line.BaselineMm - emMm, right - left, emMm * 1.25), layout.Card).ToPixels(pxPerMm);
            var dark = CountDark(image, band);
            Assert.True(dark > 40 * line.TextFor(ReceiptPdfRendererTests.SampleContent(styleId)).Length / 4,
                $"'{line.Label}{line.Field}' of {styleId}: only {dark} dark pixels around its baseline");
            // And nothing dark in the gap of half an em above that band (no line drawn too high).
            var above = Translate(new MmBox(left, line.BaselineMm - (emMm * 1.5), right - left, emMm * 0.45), layout.Card).ToPixels(pxPerMm);
            if (!Overlaps(above, layout, pxPerMm, line)) Assert.Equal(0, CountDark(image, above));
        }
    }

    [Fact]
    public void The_title_is_centred_on_the_card()
    {
        const int dpi = 300;
        var layout = Layouts.For("gd-id");
        var image = RgbImage.Decode(ReceiptPngRenderer.Render(ReceiptPdfRendererTests.SampleContent("gd-id"), layout, dpi));
        var pxPerMm = dpi / 25.4;
        var emMm = layout.Title.FontSizePt * 25.4 / 72;
        var band = Translate(new MmBox(layout.Card.X, layout.Title.BaselineMm - emMm, layout.Card.Width, emMm * 1.25), layout.Card).ToPixels(pxPerMm);
        var (x0, x1) = DarkColumns(image, band);
        var centre = (layout.Title.XMm - layout.Card.X) * pxPerMm;
        Assert.InRange((x0 + x1) / 2.0, centre - 3, centre + 3);
    }

    [Fact]
    public void Markup_characters_in_values_are_printed_not_interpreted_and_long_values_shrink()
    {
        var content = ReceiptPdfRendererTests.SampleContent("gd-id") with
        {
            CollectionPointName = "A&B <照相馆> " + new string('馆', 30),
        };
        var png = ReceiptPngRenderer.Render(content, Layouts.For("gd-id"), 300);
        var image = RgbImage.Decode(png);
        Assert.Equal(2126, image.Width);
        Assert.Throws<ArgumentException>(() => ReceiptPngRenderer.Render(content with { CollectionPointName = new string('馆', 400) }, Layouts.For("gd-id"), 300));
    }

    [Fact]
    public void Mismatched_style_oversized_photo_and_absurd_resolution_are_refused()
    {
        var gd = Layouts.For("gd-id");
        Assert.Contains("'sz-id' but the layout is 'gd-id'",
            Assert.Throws<ArgumentException>(() => ReceiptPngRenderer.Render(ReceiptPdfRendererTests.SampleContent("sz-id"), gd, 300)).Message, StringComparison.Ordinal);
        Assert.Contains("33×48 mm photo does not fit",
            Assert.Throws<ArgumentException>(() => ReceiptPngRenderer.Render(
                ReceiptPdfRendererTests.SampleContent("gd-id") with { PhotoWidthMm = 33, PhotoHeightMm = 48 }, gd, 300)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReceiptPngRenderer.Render(ReceiptPdfRendererTests.SampleContent("gd-id"), gd, 10));
    }

    private static MmBox Translate(MmBox pageBox, MmBox card) => new(pageBox.X - card.X, pageBox.Y - card.Y, pageBox.Width, pageBox.Height);

    /// <summary>Whether a probe box touches another element (the photo, the QR code, another line's band).</summary>
    private static bool Overlaps(PixelRect probe, ReceiptLayout layout, double pxPerMm, ReceiptTextLine self)
    {
        var boxes = new List<MmBox> { layout.PhotoBox, layout.BarcodeBox };
        if (layout.QrBox is { } qr) boxes.Add(qr);
        foreach (var other in layout.Lines.Prepend(layout.Title))
        {
            if (ReferenceEquals(other, self)) continue;
            var em = other.FontSizePt * 25.4 / 72;
            var (l, r) = other.Extent;
            boxes.Add(new MmBox(l, other.BaselineMm - em, r - l, em * 1.3));
        }
        return boxes.Select(b => Translate(b, layout.Card).ToPixels(pxPerMm)).Any(b =>
            b.X < probe.X + probe.Width && probe.X < b.X + b.Width && b.Y < probe.Y + probe.Height && probe.Y < b.Y + b.Height);
    }


    private static double[] Mean(RgbImage image, PixelRect box)
    {
        var sums = new double[3];
        for (var y = box.Y; y < box.Y + box.Height; y++)
        {
            for (var x = box.X; x < box.X + box.Width; x++)
            {
                var i = ((y * image.Width) + x) * image.Channels;
                for (var c = 0; c < 3; c++) sums[c] += image.Pixels[i + c];
            }
        }
        return [.. sums.Select(s => s / (box.Width * box.Height))];
    }

    private static int CountDark(RgbImage image, PixelRect box)
    {
        var n = 0;
        for (var y = Math.Max(0, box.Y); y < Math.Min(image.Height, box.Y + box.Height); y++)
        {
            for (var x = Math.Max(0, box.X); x < Math.Min(image.Width, box.X + box.Width); x++)
            {
                if (image.Luma(x, y) < 128) n++;
            }
        }
        return n;
    }

    private static (int X0, int X1) DarkColumns(RgbImage image, PixelRect box)
    {
        int x0 = int.MaxValue, x1 = -1;
        for (var y = box.Y; y < box.Y + box.Height; y++)
        {
            for (var x = box.X; x < box.X + box.Width; x++)
            {
                if (image.Luma(x, y) >= 128) continue;
                x0 = Math.Min(x0, x);
                x1 = Math.Max(x1, x);
            }
        }
        return (x0, x1);
    }
}
