namespace PhotoReceipt.Core.Catalog;

/// <summary>An inclusive range of output pixels.</summary>
public sealed record PixelRange(int Min, int Max)
{
    public bool Contains(double value) => value >= Min && value <= Max;
    public double Middle => (Min + Max) / 2.0;
    public override string ToString() => $"{Min}–{Max}";
}

/// <summary>
/// One official digital photo specification. Every window is measured in output pixels;
/// a null window means the spec does not constrain it (generic sizes).
/// </summary>
public sealed record PhotoSpec
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required int WidthPx { get; init; }
    public required int HeightPx { get; init; }
    public required double PrintWidthMm { get; init; }
    public required double PrintHeightMm { get; init; }
    public required int Dpi { get; init; }
    /// <summary>File size window in KB (1 KB = 1024 bytes); null when the spec sets none.</summary>
    public int? MinKb { get; init; }
    public int? MaxKb { get; init; }
    /// <summary>Names from <see cref="ProductCatalog.BackgroundColours"/>; the first is the default.</summary>
    public required IReadOnlyList<string> Backgrounds { get; init; }
    /// <summary>Face width (ear to ear) in output pixels.</summary>
    public PixelRange? FaceWidthPx { get; init; }
    /// <summary>Head height (head top to chin) in output pixels.</summary>
    public PixelRange? HeadHeightPx { get; init; }
    /// <summary>Gap between the top edge and the head top (hairline).</summary>
    public PixelRange? HeadTopPx { get; init; }
    /// <summary>The eye line must lie at least this many pixels above the bottom edge.</summary>
    public int? EyeLineAboveBottomMinPx { get; init; }
    /// <summary>The eye line measured from the top edge.</summary>
    public PixelRange? EyeLineFromTopPx { get; init; }
    /// <summary>Horizontal position of the midpoint between the eyes, from the left edge.</summary>
    public PixelRange? EyeCenterXPx { get; init; }
    public bool NoRedClothing { get; init; }
    public bool DarkClothing { get; init; }
    public string? Notes { get; init; }
    public required IReadOnlyList<string> Sources { get; init; }
}

/// <summary>The look of a receipt (title, region, whether it carries a QR code).</summary>
public sealed record ReceiptStyle
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string? Region { get; init; }
    public bool QrCode { get; init; }
}

/// <summary>What a user buys: a spec for a document type in a region, with its receipt style.</summary>
public sealed record Product
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>residence-permit, id-card, exit-entry, social-security, driver-license or photo-only.</summary>
    public required string DocumentType { get; init; }
    public string? Region { get; init; }
    public required string SpecId { get; init; }
    /// <summary>Null for photo-only products, which deliver the e-photo without a receipt.</summary>
    public string? ReceiptStyle { get; init; }
    public required int ValidityDays { get; init; }
    public required int PriceFen { get; init; }
    public required IReadOnlyList<string> Backgrounds { get; init; }
    public required IReadOnlyList<string> Tips { get; init; }

    public bool HasReceipt => ReceiptStyle is not null;
}

/// <summary>An RGB colour parsed from #RRGGBB.</summary>
public readonly record struct RgbColour(byte R, byte G, byte B)
{
    public static bool TryParse(string? text, out RgbColour colour)
    {
        colour = default;
        if (text is not { Length: 7 } || text[0] != '#') return false;
        if (!int.TryParse(text.AsSpan(1), System.Globalization.NumberStyles.HexNumber, null, out var v)) return false;
        colour = new RgbColour((byte)(v >> 16), (byte)(v >> 8), (byte)v);
        return true;
    }

    public override string ToString() => $"#{R:X2}{G:X2}{B:X2}";
}
