using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using PhotoReceipt.Core.Catalog;

namespace PhotoReceipt.Receipts;

/// <summary>
/// The receipt layouts, one per catalog receipt style, loaded from receipt-layouts.json (compiled
/// into this assembly) and checked against the catalog, so a layout edit that would cut off the
/// photo or drop a style fails at startup instead of on a user's receipt.
/// </summary>
public sealed class ReceiptLayouts
{
    private readonly FrozenDictionary<string, ReceiptLayout> _byStyle;

    internal ReceiptLayouts(string version, IReadOnlyList<ReceiptLayout> layouts)
    {
        Version = version;
        All = layouts;
        _byStyle = layouts.ToFrozenDictionary(l => l.StyleId);
    }

    public string Version { get; }
    public IReadOnlyList<ReceiptLayout> All { get; }

    public ReceiptLayout? Find(string styleId) => _byStyle.GetValueOrDefault(styleId);

    public ReceiptLayout For(string styleId) =>
        Find(styleId) ?? throw new KeyNotFoundException($"No receipt layout for style '{styleId}'.");

    public static ReceiptLayouts LoadEmbedded(ProductCatalog catalog)
    {
        const string name = "PhotoReceipt.Receipts.receipt-layouts.json";
        using var stream = typeof(ReceiptLayouts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from the build.");
        return Load(stream, "embedded receipt-layouts.json", catalog);
    }

    /// <summary>Parses and validates; any problem throws <see cref="ReceiptLayoutException"/> naming the style and field.</summary>
    public static ReceiptLayouts Load(Stream json, string origin, ProductCatalog catalog)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ReceiptLayoutException($"{origin}: not valid JSON (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("layouts", out var layouts) || layouts.ValueKind != JsonValueKind.Array)
            {
                throw new ReceiptLayoutException($"{origin}: expected an object with a \"version\" string and a \"layouts\" array.");
            }

            var entries = new List<(string StyleId, LayoutEntry Entry)>();
            var index = 0;
            foreach (var element in layouts.EnumerateArray())
            {
                var styleId = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("styleId", out var id)
                    && id.ValueKind == JsonValueKind.String ? id.GetString()! : $"#{index}";
                try
                {
                    var entry = element.Deserialize<LayoutEntry>(JsonOptions)
                        ?? throw new ReceiptLayoutException($"{origin}: layout '{styleId}' is null.");
                    entries.Add((styleId, entry));
                }
                catch (JsonException ex)
                {
                    throw new ReceiptLayoutException($"{origin}: layout '{styleId}': field {ex.Path?.TrimStart('$', '.')}: {ex.Message}", ex);
                }
                index++;
            }
            return new ReceiptLayouts(version.GetString()!, ReceiptLayoutValidator.Validate(entries, origin, catalog));
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}

public sealed class ReceiptLayoutException : Exception
{
    public ReceiptLayoutException(string message) : base(message) { }
    public ReceiptLayoutException(string message, Exception inner) : base(message, inner) { }
    public ReceiptLayoutException() { }
}

// Entries as written in the file: all nullable so that the validator names what is missing.
internal sealed class LayoutEntry
{
    public string? StyleId { get; set; }
    public double? PageWidthMm { get; set; }
    public double? PageHeightMm { get; set; }
    public BoxEntry? CardMm { get; set; }
    public LineEntry? Title { get; set; }
    public BoxEntry? PhotoMm { get; set; }
    public BoxEntry? BarcodeMm { get; set; }
    public BoxEntry? QrMm { get; set; }
    public List<LineEntry>? Lines { get; set; }
}

internal sealed class BoxEntry
{
    public double? X { get; set; }
    public double? Y { get; set; }
    public double? Width { get; set; }
    public double? Height { get; set; }
}

internal sealed class LineEntry
{
    public string? Label { get; set; }
    public string? Field { get; set; }
    public double? XMm { get; set; }
    public double? BaselineMm { get; set; }
    public double? FontSizePt { get; set; }
    public double? MaxWidthMm { get; set; }
    public string? Align { get; set; }
    public bool? Bold { get; set; }
}
