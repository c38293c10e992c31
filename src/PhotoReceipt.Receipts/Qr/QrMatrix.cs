namespace PhotoReceipt.Receipts.Qr;

/// <summary>
/// The module grid of one symbol while it is being built: function patterns (finder, separators,
/// timing, alignment, format and version areas, the dark module), then codeword placement and a mask.
/// Coordinates are (x = column, y = row) from the top-left corner.
/// </summary>
internal sealed class QrMatrix
{
    private readonly bool[,] _dark;
    private readonly bool[,] _function;

    public QrMatrix(int version)
    {
        Version = version;
        Size = QrTables.Size(version);
        _dark = new bool[Size, Size];
        _function = new bool[Size, Size];
        DrawFunctionPatterns();
    }

    public int Version { get; }
    public int Size { get; }

    public bool IsDark(int x, int y) => _dark[y, x];
    public bool IsFunction(int x, int y) => _function[y, x];

    private void SetFunction(int x, int y, bool dark)
    {
        _dark[y, x] = dark;
        _function[y, x] = true;
    }

    private void DrawFunctionPatterns()
    {
        for (var i = 0; i < Size; i++)
        {
            SetFunction(6, i, i % 2 == 0);
            SetFunction(i, 6, i % 2 == 0);
        }

        DrawFinder(3, 3);
        DrawFinder(Size - 4, 3);
        DrawFinder(3, Size - 4);

        var positions = QrTables.AlignmentPositions(Version);
        var last = positions.Length - 1;
        for (var i = 0; i < positions.Length; i++)
        {
            for (var j = 0; j < positions.Length; j++)
            {
                // The three corners that would overlap a finder pattern get no alignment pattern.
                if ((i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0)) continue;
                DrawAlignment(positions[i], positions[j]);
            }
        }

        // Reserve the format areas now (real bits come after masking) so data placement skips them.
        DrawFormatBits(0);
        DrawVersionBits();
    }

    /// <summary>7×7 finder with its one-module light separator, clipped at the symbol edge.</summary>
    private void DrawFinder(int cx, int cy)
    {
        for (var dy = -4; dy <= 4; dy++)
        {
            for (var dx = -4; dx <= 4; dx++)
            {
                int x = cx + dx, y = cy + dy;
                if (x < 0 || y < 0 || x >= Size || y >= Size) continue;
                var ring = Math.Max(Math.Abs(dx), Math.Abs(dy));
                SetFunction(x, y, ring != 2 && ring != 4);
            }
        }
    }

    private void DrawAlignment(int cx, int cy)
    {
        for (var dy = -2; dy <= 2; dy++)
        {
            for (var dx = -2; dx <= 2; dx++)
            {
                SetFunction(cx + dx, cy + dy, Math.Max(Math.Abs(dx), Math.Abs(dy)) != 1);
            }
        }
    }

    /// <summary>Writes both copies of the 15 format bits (ISO/IEC 18004 §7.9, figure 25).</summary>
    public void DrawFormatBits(int mask)
    {
        var bits = QrFormat.FormatBits(mask);
        static bool Bit(int value, int i) => ((value >> i) & 1) != 0;

        // Copy 1, around the top-left finder: bits 0–7 down column 8 (skipping the timing row),
        // bits 8–14 along row 8 leftwards (skipping the timing column).
        for (var i = 0; i <= 5; i++) SetFunction(8, i, Bit(bits, i));
        SetFunction(8, 7, Bit(bits, 6));
        SetFunction(8, 8, Bit(bits, 7));
        SetFunction(7, 8, Bit(bits, 8));
        for (var i = 9; i < 15; i++) SetFunction(14 - i, 8, Bit(bits, i));

        // Copy 2: bits 0–7 along row 8 from the right edge, bits 8–14 up column 8 from the bottom.
        for (var i = 0; i < 8; i++) SetFunction(Size - 1 - i, 8, Bit(bits, i));
        for (var i = 8; i < 15; i++) SetFunction(8, Size - 15 + i, Bit(bits, i));
        SetFunction(8, Size - 8, true); // the dark module, always dark
    }

    /// <summary>Versions 7+ carry 18 version bits in two 6×3 blocks (ISO/IEC 18004 §7.10).</summary>
    private void DrawVersionBits()
    {
        if (Version < 7) return;
        var bits = QrFormat.VersionBits(Version);
        for (var i = 0; i < 18; i++)
        {
            var dark = ((bits >> i) & 1) != 0;
            int a = Size - 11 + (i % 3), b = i / 3;
            SetFunction(a, b, dark);  // top-right block
            SetFunction(b, a, dark);  // bottom-left block
        }
    }

    /// <summary>
    /// Places codewords most significant bit first in two-module-wide columns, zig-zagging up and
    /// down from the bottom-right corner and skipping the vertical timing column (§7.7.3).
    /// Modules left over after the last codeword are the remainder bits, light before masking.
    /// </summary>
    public void PlaceCodewords(byte[] codewords)
    {
        var bitIndex = 0;
        var totalBits = codewords.Length * 8;
        for (var right = Size - 1; right >= 1; right -= 2)
        {
            if (right == 6) right = 5;
            var upward = ((right + 1) & 2) == 0;
            for (var vert = 0; vert < Size; vert++)
            {
                var y = upward ? Size - 1 - vert : vert;
                for (var j = 0; j < 2; j++)
                {
                    var x = right - j;
                    if (_function[y, x]) continue;
                    if (bitIndex < totalBits)
                    {
                        _dark[y, x] = ((codewords[bitIndex >> 3] >> (7 - (bitIndex & 7))) & 1) != 0;
                        bitIndex++;
                    }
                }
            }
        }
        if (bitIndex != totalBits)
        {
            throw new InvalidOperationException($"Placed {bitIndex} of {totalBits} bits in version {Version}.");
        }
    }

    /// <summary>XORs the mask pattern onto every non-function module; applying it twice undoes it.</summary>
    public void ApplyMask(int mask)
    {
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                if (!_function[y, x] && QrFormat.MaskBit(mask, x, y)) _dark[y, x] = !_dark[y, x];
            }
        }
    }
}
