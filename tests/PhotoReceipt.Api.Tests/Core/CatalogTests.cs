using System.Text;
using PhotoReceipt.Core.Catalog;

namespace PhotoReceipt.Api.Tests.Core;

public sealed class CatalogTests
{
    private static ProductCatalog Load(string json) => ProductCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "test.json");

    [Fact]
    public void The_embedded_catalog_has_every_spec_and_the_products_the_issue_lists()
    {
        var c = ProductCatalog.LoadEmbedded();
        Assert.Equal(["cn-id-card", "cn-social-security", "cn-driver-license", "cn-exit-entry", "generic-1in", "generic-small-1in", "generic-large-1in", "generic-2in"],
            c.Specs.Select(s => s.Id));
        var id = c.FindSpec("cn-id-card")!;
        Assert.Equal((358, 441, 350, 14, 40), (id.WidthPx, id.HeightPx, id.Dpi, id.MinKb!.Value, id.MaxKb!.Value));
        Assert.Equal(new PixelRange(193, 221), id.FaceWidthPx);
        Assert.All(c.Specs, s => Assert.NotEmpty(s.Sources));
        string[] expected =
        [
            "residence-permit-shenzhen", "residence-permit-guangdong", "residence-permit-guangzhou", "residence-permit-haikou",
            "id-card-guangdong", "id-card-shenzhen", "id-card-guangzhou",
            "exit-entry-guangdong", "exit-entry-chongqing", "exit-entry-yunnan", "exit-entry-sichuan", "exit-entry-guangxi", "exit-entry-qinghai", "exit-entry-guizhou",
            "social-security-guangdong", "driver-license-guangdong", "photo-1in", "photo-small-1in", "photo-large-1in", "photo-2in",
        ];
        Assert.All(expected, p => Assert.NotNull(c.FindProduct(p)));
        Assert.Equal(180, c.FindProduct("residence-permit-shenzhen")!.ValidityDays);
        Assert.Equal(30, c.FindProduct("residence-permit-guangdong")!.ValidityDays);
        Assert.Equal("gz-merged", c.FindProduct("id-card-guangzhou")!.ReceiptStyle);
        Assert.True(c.FindStyle("gz-merged")!.QrCode);
        Assert.All(c.Products, p => Assert.All(p.Backgrounds, b => Assert.NotNull(c.ResolveBackground(b))));
        Assert.Equal(new RgbColour(255, 255, 255), c.ResolveBackground("white"));
        Assert.Equal(new RgbColour(0x12, 0x34, 0x56), c.ResolveBackground("#123456"));
        Assert.Null(c.ResolveBackground("chartreuse"));
    }

    [Fact]
    public void A_malformed_catalog_names_the_entry_and_the_field()
    {
        var json = """
            {"version":"x","backgroundColours":{"white":"#FFFFFF"},
             "specs":[{"id":"s1","name":"S","widthPx":100,"heightPx":0,"printWidthMm":10,"printHeightMm":10,"dpi":300,"backgrounds":["white"],"sources":["u"]}],
             "receiptStyles":[],
             "products":[{"id":"p1","name":"P","documentType":"id-card","specId":"nope","receiptStyle":"gd-id","validityDays":30,"priceFen":-5,"backgrounds":["pink"],"tips":[]}]}
            """;
        var ex = Assert.Throws<CatalogException>(() => Load(json));
        Assert.Contains("spec 's1': field 'heightPx'", ex.Message);
        Assert.Contains("product 'p1': field 'specId' names unknown spec 'nope'", ex.Message);
        Assert.Contains("product 'p1': field 'receiptStyle' names unknown style 'gd-id'", ex.Message);
        Assert.Contains("product 'p1': field 'priceFen'", ex.Message);
        Assert.Contains("product 'p1': field 'backgrounds' names unknown colour 'pink'", ex.Message);
        Assert.StartsWith("test.json", ex.Message);
    }

    [Fact]
    public void Broken_json_and_unknown_fields_are_reported_with_their_place()
    {
        Assert.Contains("line", Assert.Throws<CatalogException>(() => Load("{\"version\": ")).Message);
        var ex = Assert.Throws<CatalogException>(() => Load("""{"version":"x","specz":[]}"""));
        Assert.Contains("specz", ex.Message);
    }
}
