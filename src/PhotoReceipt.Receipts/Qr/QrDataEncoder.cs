namespace PhotoReceipt.Receipts.Qr;

/// <summary>
/// Turns a payload into the final codeword sequence (ISO/IEC 18004 §7.4–7.6): mode indicator,
/// character count, data, terminator, pad codewords, then Reed–Solomon per block and interleaving.
/// </summary>
internal static class QrDataEncoder
{
    private const int ByteMode = 0b0100;
    private const int NumericMode = 0b0001;

    /// <summary>Smallest version (1–10) whose level-M capacity holds the bytes, or an exception.</summary>
    public static int ChooseByteVersion(int byteCount)
    {
        for (var version = QrTables.MinVersion; version <= QrTables.MaxVersion; version++)
        {
            var bits = 4 + QrTables.ByteCountBits(version) + (8 * byteCount);
            if (bits <= QrTables.BlocksM(version).DataCodewords * 8) return version;
        }
        throw new ArgumentException(
            $"{byteCount} bytes exceed the level-M capacity of version {QrTables.MaxVersion} ({MaxBytes} bytes).");
    }

    public static int MaxBytes =>
        ((QrTables.BlocksM(QrTables.MaxVersion).DataCodewords * 8) - 4 - QrTables.ByteCountBits(QrTables.MaxVersion)) / 8;

    public static byte[] ByteModeDataCodewords(ReadOnlySpan<byte> data, int version)
    {
        var bits = new BitBuffer();
        bits.Append(ByteMode, 4);
        bits.Append(data.Length, QrTables.ByteCountBits(version));
        foreach (var b in data) bits.Append(b, 8);
        return Finish(bits, version);
    }

    /// <summary>Numeric mode, kept for the worked example of ISO/IEC 18004 annex I ("01234567").</summary>
    public static byte[] NumericDataCodewords(string digits, int version)
    {
        if (!digits.All(char.IsAsciiDigit)) throw new ArgumentException("Numeric mode takes digits only.", nameof(digits));
        var bits = new BitBuffer();
        bits.Append(NumericMode, 4);
        bits.Append(digits.Length, QrTables.NumericCountBits(version));
        for (var i = 0; i < digits.Length; i += 3)
        {
            var group = digits.Substring(i, Math.Min(3, digits.Length - i));
            // 3 digits → 10 bits, 2 → 7, 1 → 4.
            bits.Append(int.Parse(group, System.Globalization.CultureInfo.InvariantCulture), (group.Length * 3) + 1);
        }
        return Finish(bits, version);
    }

    private static byte[] Finish(BitBuffer bits, int version)
    {
        var capacityBits = QrTables.BlocksM(version).DataCodewords * 8;
        if (bits.Length > capacityBits)
        {
            throw new ArgumentException($"The data needs {bits.Length} bits; version {version}-M holds {capacityBits}.");
        }
        bits.Append(0, Math.Min(4, capacityBits - bits.Length)); // terminator, shortened when space is short
        bits.Append(0, (8 - (bits.Length % 8)) % 8);
        for (var pad = 0xEC; bits.Length < capacityBits; pad ^= 0xEC ^ 0x11)
        {
            bits.Append(pad, 8);
        }
        return bits.ToBytes();
    }

    /// <summary>Adds ECC to each block and interleaves: data codewords column by column, then ECC.</summary>
    public static byte[] AddEccAndInterleave(byte[] dataCodewords, int version)
    {
        var layout = QrTables.BlocksM(version);
        if (dataCodewords.Length != layout.DataCodewords)
        {
            throw new ArgumentException($"Version {version}-M takes {layout.DataCodewords} data codewords, not {dataCodewords.Length}.");
        }

        var dataBlocks = new byte[layout.BlockCount][];
        var eccBlocks = new byte[layout.BlockCount][];
        var offset = 0;
        for (var b = 0; b < layout.BlockCount; b++)
        {
            var length = layout.Group1DataLength + (b < layout.Group1Blocks ? 0 : 1);
            dataBlocks[b] = dataCodewords[offset..(offset + length)];
            eccBlocks[b] = ReedSolomon.Remainder(dataBlocks[b], layout.EccPerBlock);
            offset += length;
        }

        var result = new List<byte>(layout.TotalCodewords);
        for (var i = 0; i <= layout.Group1DataLength; i++)
        {
            foreach (var block in dataBlocks)
            {
                if (i < block.Length) result.Add(block[i]);
            }
        }
        for (var i = 0; i < layout.EccPerBlock; i++)
        {
            foreach (var block in eccBlocks) result.Add(block[i]);
        }
        return [.. result];
    }

    private sealed class BitBuffer
    {
        private readonly List<bool> _bits = [];

        public int Length => _bits.Count;

        public void Append(int value, int count)
        {
            for (var i = count - 1; i >= 0; i--) _bits.Add(((value >> i) & 1) != 0);
        }

        public byte[] ToBytes()
        {
            var bytes = new byte[_bits.Count / 8];
            for (var i = 0; i < _bits.Count; i++)
            {
                if (_bits[i]) bytes[i >> 3] |= (byte)(0x80 >> (i & 7));
            }
            return bytes;
        }
    }
}
