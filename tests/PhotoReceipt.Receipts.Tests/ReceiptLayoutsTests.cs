using System.Text;
using System.Text.Json.Nodes;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Receipts;

namespace PhotoReceipt.Receipts.Tests;

public sealed class ReceiptLayoutsTests
{
    private static readonly ProductCatalog Catalog = ProductCatalog.LoadEmbedded();

    [Fact]
    public void Embedded_layouts_cover_every_catalog_style()
    {
        var layouts = ReceiptLayouts.LoadEmbedded(Catalog);
        Assert.Equal(
            Catalog.ReceiptStyles.Select(s => s.Id).Order(),
            layouts.All.Select(l => l.StyleId).Order());
        Assert.Equal(["gz-merged"], layouts.All.Where(l => l.QrBox is not null).Select(l => l.StyleId));
        Assert.All(layouts.All, l =>
        {
            Assert.Equal(210, l.PageWidthMm);
            Assert.Equal(297, l.PageHeightMm);
            Assert.Contains(l.Lines, line => line.Field == ReceiptField.ImageNumber);
        });
        Assert.Throws<KeyNotFoundException>(() => layouts.For("nowhere"));
    }

    [Fact]
    public void Every_product_photo_fits_its_styles_photo_box()
    {
        var layouts = ReceiptLayouts.LoadEmbedded(Catalog);
        foreach (var product in Catalog.Products.Where(p => p.HasReceipt))
        {
            var spec = Catalog.SpecOf(product);
            var box = layouts.For(product.ReceiptStyle!).PhotoBox;
            Assert.True(spec.PrintWidthMm <= box.Width && spec.PrintHeightMm <= box.Height, product.Id);
        }
    }

    [Fact]
    public void Boxes_convert_to_pixels_for_the_phone_image()
    {
        var layout = ReceiptLayouts.LoadEmbedded(Catalog).For("gd-id");
        var pxPerMm = ReceiptLayout.PxPerMm(254);            // 10 px/mm
        Assert.Equal(10, pxPerMm, 1e-12);
        Assert.Equal(new PixelRect(150, 150, 1800, 1150), layout.Card.ToPixels(pxPerMm));
        Assert.Equal(new PixelRect(250, 380, 300, 380), layout.PhotoBox.ToPixels(pxPerMm));
        Assert.Equal(16 * 25.4 / 72 * 10, layout.Title.FontSizePx(pxPerMm), 1e-9);
        Assert.Equal(new MmBox(27, 41, 26, 32), layout.PhotoBox.Centre(26, 32));
    }

    [Theory]
    [InlineData("gd-id", "photoMm", """{"x": 5, "y": 38, "width": 30, "height": 38}""", "layout 'gd-id': photoMm (5, 38, 30×38 mm) is not inside cardMm")]
    [InlineData("gd-id", "photoMm", """{"x": 25, "y": 38, "width": 20, "height": 38}""", "layout 'gd-id': photoMm is 20×38 mm but product")]
    [InlineData("gd-exit-entry", "photoMm", """{"x": 25, "y": 38, "width": 30, "height": 38}""", "layout 'gd-exit-entry': photoMm is 30×38 mm but product 'exit-entry-guangdong' prints a 33×48 mm photo")]
    [InlineData("sz-id", "photoMm", """{"x": 25, "y": 38, "width": "wide", "height": 38}""", "layout 'sz-id': field photoMm.width")]
    [InlineData("sz-id", "photoMm", """{"x": 25, "y": 38, "height": 38}""", "layout 'sz-id': photoMm.width is missing")]
    [InlineData("sz-id", "photoMm", """{"x": 25, "y": 38, "width": 30, "height": 38, "depth": 1}""", "layout 'sz-id': field photoMm.depth")]
    [InlineData("gz-merged", "qrMm", null, "layout 'gz-merged': qrMm is missing; the catalog style has a QR code")]
    [InlineData("gd-id", "qrMm", """{"x": 150, "y": 38, "width": 35, "height": 35}""", "layout 'gd-id': qrMm is set but the catalog style has no QR code")]
    [InlineData("gd-id", "barcodeMm", """{"x": 65, "y": 88, "width": 40, "height": 14}""", "layout 'gd-id': barcodeMm.width is 40 mm")]
    [InlineData("gd-id", "barcodeMm", """{"x": 40, "y": 70, "width": 70, "height": 14}""", "layout 'gd-id': barcodeMm overlaps photoMm")]
    [InlineData("generic-id", "title", """{"field": "title", "xMm": 105, "baselineMm": 29, "fontSizePt": 16, "maxWidthMm": 50, "align": "center"}""", "layout 'generic-id': title.maxWidthMm is 50 mm but the title is")]
    [InlineData("generic-id", "title", """{"field": "headline", "xMm": 105, "baselineMm": 29, "fontSizePt": 16, "maxWidthMm": 170, "align": "center"}""", "layout 'generic-id': title.field 'headline' is not one of")]
    [InlineData("generic-id", "title", """{"field": "title", "xMm": 105, "baselineMm": 16, "fontSizePt": 16, "maxWidthMm": 170, "align": "center"}""", "layout 'generic-id': title.baselineMm is 16 mm")]
    [InlineData("generic-exit-entry", "lines", """[{"label": "图像号：", "field": "imageNumber", "xMm": 70, "baselineMm": 45, "fontSizePt": 12, "maxWidthMm": 200}]""", "layout 'generic-exit-entry': lines[0].maxWidthMm lets the text span")]
    [InlineData("generic-exit-entry", "lines", """[{"label": "说明", "xMm": 70, "baselineMm": 45, "fontSizePt": 12, "maxWidthMm": 100}]""", "layout 'generic-exit-entry': lines must show the image number")]
    public void A_malformed_layout_is_refused_naming_the_style_and_field(string styleId, string field, string? replacement, string expected)
    {
        var root = EmbeddedJson();
        var layout = root["layouts"]!.AsArray().Single(l => (string?)l!["styleId"] == styleId)!.AsObject();
        if (replacement is null) layout.Remove(field);
        else layout[field] = JsonNode.Parse(replacement);

        var ex = Assert.Throws<ReceiptLayoutException>(() => Load(root));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_or_unknown_style_is_refused()
    {
        var root = EmbeddedJson();
        var layouts = root["layouts"]!.AsArray();
        layouts.RemoveAt(layouts.IndexOf(layouts.Single(l => (string?)l!["styleId"] == "sz-id")));
        Assert.Contains("no layout for catalog receipt style(s) 'sz-id'", Assert.Throws<ReceiptLayoutException>(() => Load(root)).Message, StringComparison.Ordinal);

        root = EmbeddedJson();
        root["layouts"]![0]!["styleId"] = "bj-id";
        Assert.Contains("layout 'bj-id': styleId is not a receipt style in the catalog", Assert.Throws<ReceiptLayoutException>(() => Load(root)).Message, StringComparison.Ordinal);

        root = EmbeddedJson();
        root["layouts"]![1]!["styleId"] = "gd-id";
        Assert.Contains("layout 'gd-id': styleId appears twice", Assert.Throws<ReceiptLayoutException>(() => Load(root)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_json_is_refused_with_its_line()
    {
        using var stream = new MemoryStream("{\n \"version\": \"x\",\n \"layouts\": [\n {,}\n ]\n}"u8.ToArray());
        var ex = Assert.Throws<ReceiptLayoutException>(() => ReceiptLayouts.Load(stream, "test.json", Catalog));
        Assert.Contains("test.json: not valid JSON (line 4)", ex.Message, StringComparison.Ordinal);
    }

    internal static JsonObject EmbeddedJson()
    {
        using var stream = typeof(ReceiptLayouts).Assembly.GetManifestResourceStream("PhotoReceipt.Receipts.receipt-layouts.json")!;
        return JsonNode.Parse(stream)!.AsObject();
    }

    private static ReceiptLayouts Load(JsonObject root)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(root.ToJsonString()));
        return ReceiptLayouts.Load(stream, "test.json", Catalog);
    }
}
