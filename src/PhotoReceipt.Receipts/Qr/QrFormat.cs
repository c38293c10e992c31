namespace PhotoReceipt.Receipts.Qr;

/// <summary>Format and version information and the eight data masks (ISO/IEC 18004 §7.8–7.10).</summary>
internal static class QrFormat
{
    /// <summary>Level M's two-bit indicator is 00 (L = 01, Q = 11, H = 10).</summary>
    private const int LevelMBits = 0b00;

    /// <summary>
    /// The 15 format bits: 2 level bits and 3 mask bits, a BCH(15,5) code with generator 0x537,
    /// XORed with 101010000010010 so the format area is never all light.
    /// </summary>
    public static int FormatBits(int mask)
    {
        if (mask is < 0 or > 7) throw new ArgumentOutOfRangeException(nameof(mask), mask, "Masks are 0–7.");
        var data = (LevelMBits << 3) | mask;
        var remainder = data;
        for (var i = 0; i < 10; i++) remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537);
        return ((data << 10) | remainder) ^ 0x5412;
    }

    /// <summary>The 18 version bits: 6 version bits and a BCH(18,6) code with generator 0x1F25.</summary>
    public static int VersionBits(int version)
    {
        var remainder = version;
        for (var i = 0; i < 12; i++) remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25);
        return (version << 12) | remainder;
    }

    /// <summary>True where mask <paramref name="mask"/> inverts the module in column x, row y (table 10).</summary>
    public static bool MaskBit(int mask, int x, int y) => mask switch
    {
        0 => (x + y) % 2 == 0,
        1 => y % 2 == 0,
        2 => x % 3 == 0,
        3 => (x + y) % 3 == 0,
        4 => ((y / 2) + (x / 3)) % 2 == 0,
        5 => ((x * y) % 2) + ((x * y) % 3) == 0,
        6 => (((x * y) % 2) + ((x * y) % 3)) % 2 == 0,
        7 => (((x + y) % 2) + ((x * y) % 3)) % 2 == 0,
        _ => throw new ArgumentOutOfRangeException(nameof(mask), mask, "Masks are 0–7."),
    };
}
