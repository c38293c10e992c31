namespace PhotoReceipt.Core.Catalog;

/// <summary>Turns the raw file into a catalog, or stops start-up with the entry and field at fault.</summary>
internal static class CatalogValidator
{
    private static readonly HashSet<string> DocumentTypes =
        ["residence-permit", "id-card", "exit-entry", "social-security", "driver-license", "photo-only"];

    public static ProductCatalog Validate(CatalogFile file, string origin)
    {
        var errors = new List<string>();
        void Fail(string where, string what) => errors.Add($"{where}: {what}");

        if (string.IsNullOrWhiteSpace(file.Version)) Fail("catalog", "field 'version' is missing");

        var colours = new Dictionary<string, RgbColour>(StringComparer.Ordinal);
        foreach (var (name, hex) in file.BackgroundColours ?? [])
        {
            if (RgbColour.TryParse(hex, out var c)) colours[name] = c;
            else Fail($"backgroundColours '{name}'", $"'{hex}' is not a #RRGGBB colour");
        }
        if (colours.Count == 0) Fail("catalog", "field 'backgroundColours' is missing or empty");

        var specs = new List<PhotoSpec>();
        var specIndex = 0;
        foreach (var s in file.Specs ?? [])
        {
            var where = $"spec '{s.Id ?? $"#{specIndex}"}'";
            specIndex++;
            if (string.IsNullOrWhiteSpace(s.Id)) { Fail(where, "field 'id' is missing"); continue; }
            if (specs.Any(x => x.Id == s.Id)) Fail(where, "field 'id' is used twice");
            if (string.IsNullOrWhiteSpace(s.Name)) Fail(where, "field 'name' is missing");
            Positive(s.WidthPx, "widthPx");
            Positive(s.HeightPx, "heightPx");
            Positive(s.Dpi, "dpi");
            if (s.PrintWidthMm is not > 0) Fail(where, "field 'printWidthMm' must be a positive number");
            if (s.PrintHeightMm is not > 0) Fail(where, "field 'printHeightMm' must be a positive number");
            if ((s.MinKb is null) != (s.MaxKb is null)) Fail(where, "fields 'minKb' and 'maxKb' go together");
            if (s.MinKb is { } lo && s.MaxKb is { } hi && (lo <= 0 || hi < lo)) Fail(where, "field 'maxKb' must be at least 'minKb' (> 0)");
            if (s.Backgrounds is not { Count: > 0 }) Fail(where, "field 'backgrounds' is missing or empty");
            foreach (var b in s.Backgrounds ?? [])
                if (!colours.ContainsKey(b)) Fail(where, $"field 'backgrounds' names unknown colour '{b}'");
            CheckRange(s.FaceWidthPx, "faceWidthPx", s.WidthPx);
            CheckRange(s.HeadHeightPx, "headHeightPx", s.HeightPx);
            CheckRange(s.HeadTopPx, "headTopPx", s.HeightPx);
            CheckRange(s.EyeLineFromTopPx, "eyeLineFromTopPx", s.HeightPx);
            CheckRange(s.EyeCenterXPx, "eyeCenterXPx", s.WidthPx);
            if (s.EyeLineAboveBottomMinPx is { } e && (e <= 0 || e >= s.HeightPx)) Fail(where, "field 'eyeLineAboveBottomMinPx' is outside the photo");
            if (s.Sources is not { Count: > 0 }) Fail(where, "field 'sources' is missing or empty");
            if (errors.Count > 0) continue;
            specs.Add(new PhotoSpec
            {
                Id = s.Id, Name = s.Name!, WidthPx = s.WidthPx!.Value, HeightPx = s.HeightPx!.Value,
                PrintWidthMm = s.PrintWidthMm!.Value, PrintHeightMm = s.PrintHeightMm!.Value, Dpi = s.Dpi!.Value,
                MinKb = s.MinKb, MaxKb = s.MaxKb, Backgrounds = s.Backgrounds!, FaceWidthPx = s.FaceWidthPx,
                HeadHeightPx = s.HeadHeightPx, HeadTopPx = s.HeadTopPx, EyeLineAboveBottomMinPx = s.EyeLineAboveBottomMinPx,
                EyeLineFromTopPx = s.EyeLineFromTopPx, EyeCenterXPx = s.EyeCenterXPx, NoRedClothing = s.NoRedClothing,
                DarkClothing = s.DarkClothing, Notes = s.Notes, Sources = s.Sources!,
            });

            void Positive(int? v, string field) { if (v is not > 0) Fail(where, $"field '{field}' must be a positive whole number"); }
            void CheckRange(PixelRange? r, string field, int? limit)
            {
                if (r is null) return;
                if (r.Min < 0 || r.Max < r.Min || (limit is { } l && r.Max > l)) Fail(where, $"field '{field}' ({r}) is not a range inside the photo");
            }
        }

        var styles = new List<ReceiptStyle>();
        foreach (var st in file.ReceiptStyles ?? [])
        {
            var where = $"receiptStyle '{st.Id}'";
            if (string.IsNullOrWhiteSpace(st.Id)) { Fail("receiptStyles", "an entry has no 'id'"); continue; }
            if (string.IsNullOrWhiteSpace(st.Title)) Fail(where, "field 'title' is missing");
            if (styles.Any(x => x.Id == st.Id)) Fail(where, "field 'id' is used twice");
            styles.Add(st);
        }

        var products = new List<Product>();
        var productIndex = 0;
        foreach (var p in file.Products ?? [])
        {
            var where = $"product '{p.Id ?? $"#{productIndex}"}'";
            productIndex++;
            if (string.IsNullOrWhiteSpace(p.Id)) { Fail(where, "field 'id' is missing"); continue; }
            if (products.Any(x => x.Id == p.Id)) Fail(where, "field 'id' is used twice");
            if (string.IsNullOrWhiteSpace(p.Name)) Fail(where, "field 'name' is missing");
            if (p.DocumentType is null || !DocumentTypes.Contains(p.DocumentType))
                Fail(where, $"field 'documentType' must be one of {string.Join(", ", DocumentTypes)}");
            var spec = specs.FirstOrDefault(x => x.Id == p.SpecId);
            if (spec is null) Fail(where, $"field 'specId' names unknown spec '{p.SpecId}'");
            if (p.ReceiptStyle is not null && styles.All(x => x.Id != p.ReceiptStyle))
                Fail(where, $"field 'receiptStyle' names unknown style '{p.ReceiptStyle}'");
            if (p.ReceiptStyle is null && p.DocumentType != "photo-only")
                Fail(where, "field 'receiptStyle' is required for a receipt product");
            if (p.ValidityDays is not > 0) Fail(where, "field 'validityDays' must be a positive whole number");
            if (p.PriceFen is not >= 0) Fail(where, "field 'priceFen' must be zero or more");
            if (p.Backgrounds is not { Count: > 0 }) Fail(where, "field 'backgrounds' is missing or empty");
            foreach (var b in p.Backgrounds ?? [])
                if (!colours.ContainsKey(b)) Fail(where, $"field 'backgrounds' names unknown colour '{b}'");
            if (p.Tips is null) Fail(where, "field 'tips' is missing");
            if (errors.Count > 0) continue;
            products.Add(new Product
            {
                Id = p.Id, Name = p.Name!, DocumentType = p.DocumentType!, Region = p.Region, SpecId = p.SpecId!,
                ReceiptStyle = p.ReceiptStyle, ValidityDays = p.ValidityDays!.Value, PriceFen = p.PriceFen!.Value,
                Backgrounds = p.Backgrounds!, Tips = p.Tips!,
            });
        }
        if (products.Count == 0 && errors.Count == 0) Fail("catalog", "field 'products' is missing or empty");

        if (errors.Count > 0)
            throw new CatalogException($"{origin} is not a valid catalog:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
        return ProductCatalog.Create(file.Version!, specs, styles, products, colours);
    }
}
