using PdfSharp.Fonts;

namespace PhotoReceipt.Receipts;

/// <summary>
/// The fonts the printable receipt is set in, embedded (subset) in every PDF so it prints the same
/// at any service window: Liberation Sans for ASCII (Helvetica's metrics, so image numbers keep the
/// width the layouts were drawn for) and Droid Sans Fallback for Chinese. Both are TrueType with
/// glyf outlines, which PDFsharp embeds; Noto Sans CJK, which the phone image uses, is CFF and it
/// cannot. Both licences (SIL OFL 1.1, Apache 2.0) allow embedding in documents we sell.
/// </summary>
internal sealed class ReceiptPdfFonts : IFontResolver
{
    public const string Latin = "Liberation Sans";
    public const string Cjk = "Droid Sans Fallback";

    private const string LatinRegularFace = "LiberationSans-Regular";
    private const string LatinBoldFace = "LiberationSans-Bold";
    private const string CjkFace = "DroidSansFallbackFull";

    private static readonly (string Face, string Package, string[] Paths)[] Files =
    [
        (LatinRegularFace, "fonts-liberation2", ["/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf", "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf"]),
        (LatinBoldFace, "fonts-liberation2", ["/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf", "/usr/share/fonts/liberation-sans/LiberationSans-Bold.ttf"]),
        (CjkFace, "fonts-droid-fallback", ["/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf"]),
    ];

    private static readonly Lazy<ReceiptPdfFonts> Installed = new(Install);

    private readonly Dictionary<string, byte[]> _faces;

    private ReceiptPdfFonts(Dictionary<string, byte[]> faces) => _faces = faces;

    /// <summary>
    /// Reads the font files once and makes them PDFsharp's font source (a process-wide setting: this
    /// project is its only user). Throws naming the Debian package when a file is missing.
    /// </summary>
    public static void EnsureInstalled() => _ = Installed.Value;

    private static ReceiptPdfFonts Install()
    {
        var faces = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (face, package, paths) in Files)
        {
            var path = paths.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException(
                $"The receipt PDF font {face} is not in {string.Join(", ", paths)}: apt-get install -y {package}");
            faces[face] = File.ReadAllBytes(path);
        }
        var fonts = new ReceiptPdfFonts(faces);
        GlobalFontSettings.FontResolver = fonts;
        return fonts;
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => familyName switch
    {
        Latin => new FontResolverInfo(bold ? LatinBoldFace : LatinRegularFace),
        // Droid Sans Fallback has one weight: PDFsharp thickens the strokes (fill and stroke), as the
        // hand-written PDF did for its Song face.
        Cjk => new FontResolverInfo(CjkFace, mustSimulateBold: bold, mustSimulateItalic: false),
        _ => null,
    };

    public byte[]? GetFont(string faceName) => _faces.GetValueOrDefault(faceName);
}
