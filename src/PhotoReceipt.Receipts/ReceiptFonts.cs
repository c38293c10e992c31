namespace PhotoReceipt.Receipts;

/// <summary>
/// The CJK font files the phone receipt is set in (Noto Sans CJK from Debian's fonts-noto-cjk).
/// libvips is handed the file itself, so the receipt looks the same whatever else fontconfig finds.
/// </summary>
public sealed record ReceiptFonts(string RegularFile, string BoldFile)
{
    /// <summary>The family inside the .ttc collections that covers Simplified Chinese.</summary>
    public const string Family = "Noto Sans CJK SC";

    private static readonly string[] Directories =
    [
        "/usr/share/fonts/opentype/noto",
        "/usr/share/fonts/noto-cjk",
        "/usr/share/fonts/google-noto-cjk",
    ];

    private static readonly Lazy<ReceiptFonts> Located = new(Locate);

    /// <summary>The installed Noto Sans CJK files; throws naming the package when they are missing.</summary>
    public static ReceiptFonts Default => Located.Value;

    private static ReceiptFonts Locate()
    {
        foreach (var dir in Directories)
        {
            var regular = Path.Combine(dir, "NotoSansCJK-Regular.ttc");
            var bold = Path.Combine(dir, "NotoSansCJK-Bold.ttc");
            if (File.Exists(regular)) return new ReceiptFonts(regular, File.Exists(bold) ? bold : regular);
        }
        throw new InvalidOperationException(
            $"Noto Sans CJK (NotoSansCJK-Regular.ttc) is not in {string.Join(", ", Directories)}; receipts need it: apt-get install -y fonts-noto-cjk");
    }
}
