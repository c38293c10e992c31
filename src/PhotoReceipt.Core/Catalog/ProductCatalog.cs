using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PhotoReceipt.Core.Catalog;

/// <summary>
/// The photo specs, receipt styles and products, loaded once from the versioned catalog file.
/// Adding a city or a document type is an edit to that file, not to code.
/// </summary>
public sealed class ProductCatalog
{
    public string Version { get; }
    public IReadOnlyList<PhotoSpec> Specs { get; }
    public IReadOnlyList<ReceiptStyle> ReceiptStyles { get; }
    public IReadOnlyList<Product> Products { get; }
    public IReadOnlyDictionary<string, RgbColour> BackgroundColours { get; }

    private readonly FrozenDictionary<string, PhotoSpec> _specs;
    private readonly FrozenDictionary<string, Product> _products;
    private readonly FrozenDictionary<string, ReceiptStyle> _styles;

    private ProductCatalog(string version, IReadOnlyList<PhotoSpec> specs, IReadOnlyList<ReceiptStyle> styles,
        IReadOnlyList<Product> products, IReadOnlyDictionary<string, RgbColour> colours)
    {
        Version = version;
        Specs = specs;
        ReceiptStyles = styles;
        Products = products;
        BackgroundColours = colours;
        _specs = specs.ToFrozenDictionary(s => s.Id);
        _products = products.ToFrozenDictionary(p => p.Id);
        _styles = styles.ToFrozenDictionary(s => s.Id);
    }

    public PhotoSpec? FindSpec(string id) => _specs.GetValueOrDefault(id);
    public Product? FindProduct(string id) => _products.GetValueOrDefault(id);
    public ReceiptStyle? FindStyle(string id) => _styles.GetValueOrDefault(id);

    public PhotoSpec SpecOf(Product product) => _specs[product.SpecId];

    /// <summary>
    /// Resolves a background by catalog name (white, blue, …) or #RRGGBB; null when it is neither.
    /// </summary>
    public RgbColour? ResolveBackground(string nameOrHex) =>
        BackgroundColours.TryGetValue(nameOrHex, out var c) ? c
        : RgbColour.TryParse(nameOrHex, out c) ? c
        : null;

    /// <summary>The catalog compiled into this build.</summary>
    public static ProductCatalog LoadEmbedded()
    {
        using var stream = typeof(ProductCatalog).Assembly.GetManifestResourceStream("PhotoReceipt.Core.catalog.json")
            ?? throw new InvalidOperationException("The embedded catalog resource is missing from the build.");
        return Load(stream, "embedded catalog.json");
    }

    public static ProductCatalog LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Parses and validates; a bad entry throws <see cref="CatalogException"/> naming it.</summary>
    public static ProductCatalog Load(Stream json, string origin)
    {
        CatalogFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CatalogFile>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new CatalogException($"{origin}: not valid catalog JSON at {ex.Path} (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }
        if (file is null) throw new CatalogException($"{origin}: the file is empty.");
        return CatalogValidator.Validate(file, origin);
    }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    internal static ProductCatalog Create(string version, IReadOnlyList<PhotoSpec> specs, IReadOnlyList<ReceiptStyle> styles,
        IReadOnlyList<Product> products, IReadOnlyDictionary<string, RgbColour> colours) =>
        new(version, specs, styles, products, colours);
}

public sealed class CatalogException : Exception
{
    public CatalogException(string message) : base(message) { }
    public CatalogException(string message, Exception inner) : base(message, inner) { }
    public CatalogException() { }
}

internal sealed class CatalogFile
{
    public string? Version { get; set; }
    public string? Notes { get; set; }
    public Dictionary<string, string>? BackgroundColours { get; set; }
    public List<SpecEntry>? Specs { get; set; }
    public List<ReceiptStyle>? ReceiptStyles { get; set; }
    public List<ProductEntry>? Products { get; set; }
}

// Entries as written in the file: every field nullable so that the validator, not the JSON
// reader, says which entry lacks which field.
internal sealed class SpecEntry
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public int? WidthPx { get; set; }
    public int? HeightPx { get; set; }
    public double? PrintWidthMm { get; set; }
    public double? PrintHeightMm { get; set; }
    public int? Dpi { get; set; }
    public int? MinKb { get; set; }
    public int? MaxKb { get; set; }
    public List<string>? Backgrounds { get; set; }
    public PixelRange? FaceWidthPx { get; set; }
    public PixelRange? HeadHeightPx { get; set; }
    public PixelRange? HeadTopPx { get; set; }
    public int? EyeLineAboveBottomMinPx { get; set; }
    public PixelRange? EyeLineFromTopPx { get; set; }
    public PixelRange? EyeCenterXPx { get; set; }
    public bool NoRedClothing { get; set; }
    public bool DarkClothing { get; set; }
    public string? Notes { get; set; }
    public List<string>? Sources { get; set; }
}

internal sealed class ProductEntry
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? DocumentType { get; set; }
    public string? Region { get; set; }
    public string? SpecId { get; set; }
    public string? ReceiptStyle { get; set; }
    public int? ValidityDays { get; set; }
    public int? PriceFen { get; set; }
    public List<string>? Backgrounds { get; set; }
    public List<string>? Tips { get; set; }
}
