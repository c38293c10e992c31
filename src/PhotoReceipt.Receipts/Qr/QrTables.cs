namespace PhotoReceipt.Receipts.Qr;

/// <summary>Block structure of one version at error-correction level M (ISO/IEC 18004 table 9).</summary>
internal sealed record QrBlockLayout(int EccPerBlock, int Group1Blocks, int Group1DataLength, int Group2Blocks)
{
    public int BlockCount => Group1Blocks + Group2Blocks;
    /// <summary>Group 2 blocks carry one data codeword more than group 1.</summary>
    public int DataCodewords => (Group1Blocks * Group1DataLength) + (Group2Blocks * (Group1DataLength + 1));
    public int TotalCodewords => DataCodewords + (BlockCount * EccPerBlock);
}

internal static class QrTables
{
    public const int MinVersion = 1;
    public const int MaxVersion = 10;

    // Level M only: a receipt's QR carries a short URL, and M (≈15 % recovery) survives a creased
    // print or a phone-screen glare without growing the symbol the way Q or H would.
    private static readonly QrBlockLayout[] LevelM =
    [
        new(10, 1, 16, 0),
        new(16, 1, 28, 0),
        new(26, 1, 44, 0),
        new(18, 2, 32, 0),
        new(24, 2, 43, 0),
        new(16, 4, 27, 0),
        new(18, 4, 31, 0),
        new(22, 2, 38, 2),
        new(22, 3, 36, 2),
        new(26, 4, 43, 1),
    ];

    public static QrBlockLayout BlocksM(int version)
    {
        CheckVersion(version);
        return LevelM[version - 1];
    }

    public static int Size(int version) => (version * 4) + 17;

    /// <summary>
    /// Modules left for codewords and remainder bits once finder, timing, alignment, format and
    /// version areas are taken; a count the tests check against the block table.
    /// </summary>
    public static int RawDataModules(int version)
    {
        CheckVersion(version);
        var result = (((16 * version) + 128) * version) + 64;
        if (version >= 2)
        {
            var alignments = (version / 7) + 2;
            result -= (((25 * alignments) - 10) * alignments) - 55;
            if (version >= 7) result -= 36;
        }
        return result;
    }

    /// <summary>Row/column centres of the alignment patterns (ISO/IEC 18004 annex E).</summary>
    public static int[] AlignmentPositions(int version)
    {
        CheckVersion(version);
        if (version == 1) return [];
        var count = (version / 7) + 2;
        // Even spacing from the last position back, rounded up to an even step (annex E's rule).
        var step = (int)Math.Ceiling(((version * 4) + 4) / (double)((count * 2) - 2)) * 2;
        var positions = new int[count];
        positions[0] = 6;
        for (int i = count - 1, pos = Size(version) - 7; i >= 1; i--, pos -= step)
        {
            positions[i] = pos;
        }
        return positions;
    }

    public static int ByteCountBits(int version) => version <= 9 ? 8 : 16;

    public static int NumericCountBits(int version) => version <= 9 ? 10 : 12;

    private static void CheckVersion(int version)
    {
        if (version is < MinVersion or > MaxVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, $"Only versions {MinVersion}–{MaxVersion} are supported.");
        }
    }
}
