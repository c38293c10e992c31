using System.Globalization;
using System.Security;
using NetVips;
using PhotoReceipt.Core.Catalog;
using PhotoReceipt.Core.Photos;

namespace PhotoReceipt.Receipts.PrintSheets;

/// <summary>A rendered print sheet and the arrangement it was drawn from.</summary>
public sealed record PrintSheet(byte[] Jpeg, PrintSheetLayout Layout);

/// <summary>
/// The 6-inch print of an ID photo: the standardized photo resized to its spec's true print size at
/// 300 dpi, repeated as often as <see cref="PrintSheetLayout"/> fits it, thin cut marks on every
/// cutting line, and the spec's name with its size in the label band. A JPEG with 300 dpi in its
/// JFIF header, so a kiosk printing "at original size" gives photos of the right size.
/// </summary>
public static class PrintSheetRenderer
{
    private const double LabelFontPt = 7, MinLabelFontPt = 4;
    /// <summary>Cut marks: about 0.17 mm wide, mid grey, visible on paper and never mistaken for the photo's edge.</summary>
    private const int TickWidthPx = 2;
    private const double TickInk = 90;

    public static PrintSheet Render(byte[] photoJpeg, PhotoSpec spec) => Render(photoJpeg, spec, ReceiptFonts.Default);

    public static PrintSheet Render(byte[] photoJpeg, PhotoSpec spec, ReceiptFonts fonts)
    {
        ArgumentNullException.ThrowIfNull(photoJpeg);
        ArgumentNullException.ThrowIfNull(spec);
        var layout = PrintSheetLayout.For(spec.PrintWidthMm, spec.PrintHeightMm);
        ReceiptImages.EnsureConfigured();

        // Drawn in one gray band (marks, text), converted to sRGB, then the colour copies go in.
        using var white = Image.Black(layout.WidthPx, layout.HeightPx).Linear([1.0], [255.0], uchar: true);
        var gray = white.Copy();
        try
        {
            foreach (var tick in Ticks(layout)) Replace(ref gray, gray.Insert(Ink(tick.Width, tick.Height), tick.X, tick.Y));
            Replace(ref gray, DrawLabel(gray, layout, Label(spec), fonts));

            using var rgb = gray.Colourspace(Enums.Interpretation.Srgb);
            using var decoded = Image.ThumbnailBuffer(photoJpeg, layout.CopyWidthPx, height: layout.CopyHeightPx, size: Enums.Size.Force);
            // Copied into memory: every copy reads the same pixels, which a sequential decode cannot replay.
            using var srgb = ReceiptImages.ToSrgb8(decoded);
            using var copy = srgb.CopyMemory();
            var sheet = rgb.Copy();
            try
            {
                foreach (var c in layout.Copies) Replace(ref sheet, sheet.Insert(copy, c.X, c.Y));
                var jpeg = (byte[])Operation.Call("jpegsave_buffer", new VOption { { "Q", 92 }, { "strip", true } }, sheet);
                return new PrintSheet(JfifDensity.Insert(jpeg, (int)PrintSheetLayout.Dpi), layout);
            }
            finally
            {
                sheet.Dispose();
            }
        }
        finally
        {
            gray.Dispose();
        }
    }

    /// <summary>What the margin says: which photo this is, its size, and how to print it.</summary>
    public static string Label(PhotoSpec spec) => string.Create(CultureInfo.InvariantCulture,
        $"{spec.Name}  {spec.PrintWidthMm:0.#}×{spec.PrintHeightMm:0.#} mm  ·  6 寸（4R）相纸，按原尺寸（100%）打印，沿裁切线剪下");

    /// <summary>
    /// One tick per cutting line on both sides of the grid: each copy's left and right edges above
    /// and below it, each copy's top and bottom edges left and right of it. With no gap between
    /// copies neighbours share a line, and so a tick.
    /// </summary>
    public static IEnumerable<SheetRect> Ticks(PrintSheetLayout layout)
    {
        var gap = PrintSheetLayout.ToPx(PrintSheetLayout.TickGapMm);
        var length = PrintSheetLayout.ToPx(PrintSheetLayout.TickLengthMm);
        var top = layout.Copies.Min(c => c.Y);
        var bottom = layout.Copies.Max(c => c.Bottom);
        var left = layout.Copies.Min(c => c.X);
        var right = layout.Copies.Max(c => c.Right);
        var xs = layout.Copies.SelectMany(c => new[] { c.X, c.Right }).Distinct().Order();
        var ys = layout.Copies.SelectMany(c => new[] { c.Y, c.Bottom }).Distinct().Order();
        foreach (var x in xs)
        {
            var at = Math.Clamp(x - (TickWidthPx / 2), 0, layout.WidthPx - TickWidthPx);
            yield return new SheetRect(at, Math.Max(0, top - gap - length), TickWidthPx, length);
            yield return new SheetRect(at, bottom + gap, TickWidthPx, length);
        }
        foreach (var y in ys)
        {
            var at = Math.Clamp(y - (TickWidthPx / 2), 0, layout.HeightPx - TickWidthPx);
            yield return new SheetRect(Math.Max(0, left - gap - length), at, length, TickWidthPx);
            yield return new SheetRect(right + gap, at, length, TickWidthPx);
        }
    }

    private static Image Ink(int width, int height)
    {
        using var black = Image.Black(width, height);
        return black.Linear([1.0], [TickInk], uchar: true);
    }

    /// <summary>The label set in Noto Sans CJK, shrunk to fit its band and turned for a band beside the copies.</summary>
    private static Image DrawLabel(Image canvas, PrintSheetLayout layout, string text, ReceiptFonts fonts)
    {
        var box = layout.LabelBox;
        var (along, across) = layout.LabelSide == LabelSide.Bottom ? (box.Width, box.Height) : (box.Height, box.Width);
        var sizePt = LabelFontPt;
        var ink = TextInk(text, sizePt, fonts);
        while ((ink.Width > along || ink.Height > across) && sizePt > MinLabelFontPt)
        {
            sizePt = Math.Max(MinLabelFontPt, Math.Floor(sizePt * Math.Min((double)along / ink.Width, (double)across / ink.Height) * 10) / 10);
            ink.Dispose();
            ink = TextInk(text, sizePt, fonts);
            if (sizePt == MinLabelFontPt) break;
        }
        using (ink)
        {
            using var turned = layout.LabelSide == LabelSide.Bottom ? ink.Copy() : ink.Rot90();
            using var dark = turned.Linear([-1.0], [255.0], uchar: true);
            var x = box.X + Math.Max(0, (box.Width - dark.Width) / 2);
            var y = box.Y + Math.Max(0, (box.Height - dark.Height) / 2);
            return canvas.Insert(dark, x, y);
        }
    }

    private static Image TextInk(string text, double sizePt, ReceiptFonts fonts)
    {
        // Pango at 72 dpi takes the size in pixels: points → millimetres → pixels at 300 dpi.
        var sizePx = sizePt * 25.4 / 72 * PrintSheetLayout.PxPerMm;
        var font = string.Create(CultureInfo.InvariantCulture, $"{ReceiptFonts.Family} {sizePx:0.##}");
        return Image.Text(SecurityElement.Escape(text), font: font, fontfile: fonts.RegularFile, dpi: 72);
    }

    private static void Replace(ref Image current, Image next)
    {
        current.Dispose();
        current = next;
    }
}
