using PhotoReceipt.Core.Catalog;

namespace PhotoReceipt.Receipts;

/// <summary>Turns file entries into layouts, refusing anything a printed receipt would suffer from.</summary>
internal static class ReceiptLayoutValidator
{
    /// <summary>Narrowest printable bar: 0.25 mm survives a 300 dpi office printer and toner spread.</summary>
    public const double MinModuleMm = 0.25;

    /// <summary>A 16-symbol image number that gets no code-set C help: the widest barcode we print.</summary>
    private const string WidestImageNumber = "ABCDEFGHJKLMNPQR";

    private const double PtToMm = 25.4 / 72;

    /// <summary>The image number's barcode for a box of this width, refused when its bars would print too thin.</summary>
    public static Code128Symbol Barcode(string imageNumber, double boxWidthMm, out double moduleMm)
    {
        var symbol = Code128.Encode(imageNumber);
        moduleMm = boxWidthMm / symbol.Modules.Count;
        if (moduleMm < MinModuleMm)
        {
            throw new ArgumentException(
                $"Image number '{imageNumber}' needs {symbol.Modules.Count} modules; at {boxWidthMm} mm its bars would be {moduleMm:F3} mm, under {MinModuleMm} mm.",
                nameof(imageNumber));
        }
        return symbol;
    }

    public static List<ReceiptLayout> Validate(List<(string StyleId, LayoutEntry Entry)> entries, string origin, ProductCatalog catalog)
    {
        var layouts = new List<ReceiptLayout>();
        foreach (var (styleId, entry) in entries)
        {
            var context = new Context(origin, styleId);
            if (entry.StyleId is null) throw context.Error("styleId", "is missing");
            var style = catalog.FindStyle(entry.StyleId) ?? throw context.Error("styleId", "is not a receipt style in the catalog");
            if (layouts.Any(l => l.StyleId == entry.StyleId)) throw context.Error("styleId", "appears twice");
            layouts.Add(Build(entry, style, catalog, context));
        }

        var missing = catalog.ReceiptStyles.Where(s => layouts.All(l => l.StyleId != s.Id)).Select(s => s.Id).ToList();
        if (missing.Count > 0)
        {
            throw new ReceiptLayoutException($"{origin}: no layout for catalog receipt style(s) {string.Join(", ", missing.Select(m => $"'{m}'"))}.");
        }
        return layouts;
    }

    private static ReceiptLayout Build(LayoutEntry entry, ReceiptStyle style, ProductCatalog catalog, Context context)
    {
        var pageWidth = Positive(entry.PageWidthMm, "pageWidthMm", context);
        var pageHeight = Positive(entry.PageHeightMm, "pageHeightMm", context);
        var page = new MmBox(0, 0, pageWidth, pageHeight);
        var card = Box(entry.CardMm, "cardMm", page, "the page", context);
        var photo = Box(entry.PhotoMm, "photoMm", card, "cardMm", context);
        var barcode = Box(entry.BarcodeMm, "barcodeMm", card, "cardMm", context);
        MmBox? qr = null;
        if (style.QrCode)
        {
            qr = Box(entry.QrMm ?? throw context.Error("qrMm", "is missing; the catalog style has a QR code"), "qrMm", card, "cardMm", context);
        }
        else if (entry.QrMm is not null)
        {
            throw context.Error("qrMm", "is set but the catalog style has no QR code");
        }

        Disjoint(("photoMm", photo), ("barcodeMm", barcode), context);
        if (qr is not null)
        {
            Disjoint(("photoMm", photo), ("qrMm", qr), context);
            Disjoint(("barcodeMm", barcode), ("qrMm", qr), context);
        }

        // The photo prints at its spec size, so every spec sold with this style must fit its box.
        foreach (var product in catalog.Products.Where(p => p.ReceiptStyle == style.Id))
        {
            var spec = catalog.SpecOf(product);
            if (spec.PrintWidthMm > photo.Width || spec.PrintHeightMm > photo.Height)
            {
                throw context.Error("photoMm",
                    $"is {photo.Width}×{photo.Height} mm but product '{product.Id}' prints a {spec.PrintWidthMm}×{spec.PrintHeightMm} mm photo");
            }
        }

        var modules = Code128.Encode(WidestImageNumber).Modules.Count;
        if (barcode.Width / modules < MinModuleMm)
        {
            throw context.Error("barcodeMm.width",
                $"is {barcode.Width} mm: a 16-symbol image number needs {modules} modules of at least {MinModuleMm} mm ({modules * MinModuleMm} mm)");
        }
        if (barcode.Height < 6) throw context.Error("barcodeMm.height", "must be at least 6 mm for hand scanners");
        if (qr is not null && Math.Abs(qr.Width - qr.Height) > 1e-9) throw context.Error("qrMm", "must be square");

        var title = Line(entry.Title ?? throw context.Error("title", "is missing"), "title", card, context);
        if (title.Field != ReceiptField.Title) throw context.Error("title.field", "must be \"title\"");
        var titleWidth = ReceiptPdfRenderer.MeasureTextMm(title.Label + style.Title, title.FontSizePt, title.Bold);
        if (titleWidth > title.MaxWidthMm)
        {
            throw context.Error("title.maxWidthMm", $"is {title.MaxWidthMm} mm but the title is {titleWidth:F1} mm wide at {title.FontSizePt} pt");
        }

        var lines = (entry.Lines ?? throw context.Error("lines", "is missing"))
            .Select((l, i) => Line(l, $"lines[{i}]", card, context)).ToList();
        if (lines.All(l => l.Field != ReceiptField.ImageNumber))
        {
            throw context.Error("lines", "must show the image number as text (field \"imageNumber\")");
        }

        return new ReceiptLayout
        {
            StyleId = style.Id,
            PageWidthMm = pageWidth,
            PageHeightMm = pageHeight,
            Card = card,
            Title = title,
            PhotoBox = photo,
            BarcodeBox = barcode,
            QrBox = qr,
            Lines = lines,
        };
    }

    private static ReceiptTextLine Line(LineEntry entry, string name, MmBox card, Context context)
    {
        ReceiptField field = ReceiptField.None;
        if (entry.Field is not null
            && (!Enum.TryParse(entry.Field, ignoreCase: true, out field) || !Enum.IsDefined(field) || char.IsAsciiDigit(entry.Field[0])))
        {
            throw context.Error($"{name}.field", $"'{entry.Field}' is not one of {string.Join(", ", Enum.GetNames<ReceiptField>().Select(JsonName))}");
        }
        if (field == ReceiptField.None && string.IsNullOrEmpty(entry.Label)) throw context.Error(name, "has neither a label nor a field");

        var align = ReceiptTextAlign.Left;
        if (entry.Align is not null
            && (!Enum.TryParse(entry.Align, ignoreCase: true, out align) || !Enum.IsDefined(align) || char.IsAsciiDigit(entry.Align[0])))
        {
            throw context.Error($"{name}.align", $"'{entry.Align}' is not left, center or right");
        }

        var line = new ReceiptTextLine
        {
            Label = entry.Label ?? "",
            Field = field,
            XMm = Required(entry.XMm, $"{name}.xMm", context),
            BaselineMm = Required(entry.BaselineMm, $"{name}.baselineMm", context),
            FontSizePt = Positive(entry.FontSizePt, $"{name}.fontSizePt", context),
            MaxWidthMm = Positive(entry.MaxWidthMm, $"{name}.maxWidthMm", context),
            Align = align,
            Bold = entry.Bold ?? false,
        };
        if (line.FontSizePt is < 5 or > 48) throw context.Error($"{name}.fontSizePt", $"is {line.FontSizePt}; expected 5–48 pt");

        var (left, right) = line.Extent;
        if (left < card.X || right > card.Right + 1e-9)
        {
            throw context.Error($"{name}.maxWidthMm", $"lets the text span {left:F1}–{right:F1} mm, outside the card ({card.X}–{card.Right} mm)");
        }
        // Ascenders reach about one em above the baseline, descenders a quarter em below.
        var em = line.FontSizePt * PtToMm;
        if (line.BaselineMm - em < card.Y || line.BaselineMm + (em / 4) > card.Bottom + 1e-9)
        {
            throw context.Error($"{name}.baselineMm", $"is {line.BaselineMm} mm; a {line.FontSizePt} pt line there leaves the card ({card.Y}–{card.Bottom} mm)");
        }
        return line;
    }

    private static MmBox Box(BoxEntry? entry, string name, MmBox container, string containerName, Context context)
    {
        if (entry is null) throw context.Error(name, "is missing");
        var box = new MmBox(
            Required(entry.X, $"{name}.x", context),
            Required(entry.Y, $"{name}.y", context),
            Positive(entry.Width, $"{name}.width", context),
            Positive(entry.Height, $"{name}.height", context));
        if (!container.Contains(box))
        {
            throw context.Error(name, $"({box.X}, {box.Y}, {box.Width}×{box.Height} mm) is not inside {containerName}");
        }
        return box;
    }

    private static void Disjoint((string Name, MmBox Box) a, (string Name, MmBox Box) b, Context context)
    {
        var overlap = a.Box.X < b.Box.Right && b.Box.X < a.Box.Right && a.Box.Y < b.Box.Bottom && b.Box.Y < a.Box.Bottom;
        if (overlap) throw context.Error(b.Name, $"overlaps {a.Name}");
    }

    private static double Required(double? value, string name, Context context) =>
        value is { } v && double.IsFinite(v) ? v : throw context.Error(name, "is missing");

    private static double Positive(double? value, string name, Context context)
    {
        var v = Required(value, name, context);
        return v > 0 ? v : throw context.Error(name, $"must be positive, not {v}");
    }

    private static string JsonName(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private sealed record Context(string Origin, string StyleId)
    {
        public ReceiptLayoutException Error(string field, string problem) =>
            new($"{Origin}: layout '{StyleId}': {field} {problem}.");
    }
}
