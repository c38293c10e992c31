namespace PhotoReceipt.Receipts;

/// <summary>
/// Where things go on one receipt style, in millimetres from the page's top-left corner. The same
/// layout drives the printable PDF and the phone image: the image renderer crops to
/// <see cref="Card"/> and multiplies by a pixels-per-millimetre scale (<see cref="PxPerMm"/>).
/// </summary>
public sealed record ReceiptLayout
{
    /// <summary>
    /// Refuses content meant for another style, or a photo whose print size does not fit the photo
    /// box: both renderers (PDF and PNG) draw from the same layout, so they check the same way.
    /// </summary>
    public void EnsureFits(ReceiptContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.StyleId != StyleId)
            throw new ArgumentException($"The content is for receipt style '{content.StyleId}' but the layout is '{StyleId}'.", nameof(content));
        if (!(content.PhotoWidthMm > 0) || !(content.PhotoHeightMm > 0)
            || content.PhotoWidthMm > PhotoBox.Width || content.PhotoHeightMm > PhotoBox.Height)
        {
            throw new ArgumentException(
                $"A {content.PhotoWidthMm}×{content.PhotoHeightMm} mm photo does not fit the {PhotoBox.Width}×{PhotoBox.Height} mm box of '{StyleId}'.",
                nameof(content));
        }
    }

    public required string StyleId { get; init; }
    /// <summary>A4 portrait for every style: printing at 100 % keeps the photo at its true size.</summary>
    public required double PageWidthMm { get; init; }
    public required double PageHeightMm { get; init; }
    /// <summary>The receipt itself (framed by a cut line on paper; the whole phone image).</summary>
    public required MmBox Card { get; init; }
    /// <summary>The receipt title; its text is the catalog style's title.</summary>
    public required ReceiptTextLine Title { get; init; }
    /// <summary>The photo is drawn at its print size, centred in this box.</summary>
    public required MmBox PhotoBox { get; init; }
    /// <summary>The Code 128 image-number barcode, quiet zones included, stretched to this box.</summary>
    public required MmBox BarcodeBox { get; init; }
    /// <summary>Present exactly when the catalog style carries a QR code.</summary>
    public MmBox? QrBox { get; init; }
    public required IReadOnlyList<ReceiptTextLine> Lines { get; init; }

    /// <summary>Pixels per millimetre at a resolution in dots per inch (350 dpi ≈ 13.78 px/mm).</summary>
    public static double PxPerMm(double dpi) => dpi / 25.4;
}

/// <summary>An axis-aligned box in millimetres, origin top-left.</summary>
public sealed record MmBox(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;
    public double Bottom => Y + Height;

    public bool Contains(MmBox other) =>
        other.X >= X && other.Y >= Y && other.Right <= Right + 1e-9 && other.Bottom <= Bottom + 1e-9;

    /// <summary>
    /// The box in whole pixels at <paramref name="pxPerMm"/>. Edges are rounded, not the size, so
    /// neighbouring boxes stay neighbours.
    /// </summary>
    public PixelRect ToPixels(double pxPerMm)
    {
        var x0 = (int)Math.Round(X * pxPerMm);
        var y0 = (int)Math.Round(Y * pxPerMm);
        return new PixelRect(x0, y0, (int)Math.Round(Right * pxPerMm) - x0, (int)Math.Round(Bottom * pxPerMm) - y0);
    }

    /// <summary>A box of the given size centred in this one.</summary>
    public MmBox Centre(double widthMm, double heightMm) =>
        new(X + ((Width - widthMm) / 2), Y + ((Height - heightMm) / 2), widthMm, heightMm);
}

public sealed record PixelRect(int X, int Y, int Width, int Height);

/// <summary>What a text line shows after its label.</summary>
public enum ReceiptField
{
    /// <summary>The label alone (notes, usage hints).</summary>
    None,
    Title,
    ImageNumber,
    DocumentType,
    ApplicantName,
    IssueDate,
    ValidUntil,
    /// <summary>Collection point name with its code in full-width brackets.</summary>
    CollectionPoint,
}

public enum ReceiptTextAlign
{
    Left,
    Center,
    Right,
}

/// <summary>
/// One line of text: label + field value. <see cref="XMm"/> is the left edge, centre or right edge
/// per <see cref="Align"/>; the renderer shrinks the font when the text would exceed <see cref="MaxWidthMm"/>.
/// </summary>
public sealed record ReceiptTextLine
{
    public string Label { get; init; } = "";
    public ReceiptField Field { get; init; }
    public required double XMm { get; init; }
    public required double BaselineMm { get; init; }
    public required double FontSizePt { get; init; }
    public required double MaxWidthMm { get; init; }
    public ReceiptTextAlign Align { get; init; }
    public bool Bold { get; init; }

    /// <summary>Font size in pixels at a pixels-per-millimetre scale (1 pt = 25.4 / 72 mm).</summary>
    public double FontSizePx(double pxPerMm) => FontSizePt * 25.4 / 72 * pxPerMm;

    /// <summary>The left and right edges this line may occupy, whatever its alignment.</summary>
    public (double Left, double Right) Extent => Align switch
    {
        ReceiptTextAlign.Center => (XMm - (MaxWidthMm / 2), XMm + (MaxWidthMm / 2)),
        ReceiptTextAlign.Right => (XMm - MaxWidthMm, XMm),
        _ => (XMm, XMm + MaxWidthMm),
    };

    /// <summary>The label followed by the field's value for this receipt.</summary>
    public string TextFor(ReceiptContent content) => Label + Field switch
    {
        ReceiptField.None => "",
        ReceiptField.Title => content.Title,
        ReceiptField.ImageNumber => content.ImageNumber,
        ReceiptField.DocumentType => content.DocumentTypeName,
        ReceiptField.ApplicantName => content.MaskedApplicantName,
        ReceiptField.IssueDate => ChineseDate(content.IssueDate),
        ReceiptField.ValidUntil => ChineseDate(content.ValidUntil),
        ReceiptField.CollectionPoint => $"{content.CollectionPointName}（{content.CollectionPointCode}）",
        _ => throw new ArgumentOutOfRangeException(nameof(content), Field, "Unknown receipt field."),
    };

    private static string ChineseDate(DateOnly date) => $"{date.Year}年{date.Month:00}月{date.Day:00}日";
}
