namespace PhotoReceipt.Receipts.Qr;

/// <summary>
/// Reed–Solomon error-correction codewords as ISO/IEC 18004 §7.5.2 defines them: arithmetic in
/// GF(2⁸) modulo x⁸ + x⁴ + x³ + x² + 1 (0x11D), generator polynomial Π (x − αⁱ) for i = 0 … n−1.
/// </summary>
internal static class ReedSolomon
{
    private static readonly byte[] Exp = new byte[512];
    private static readonly byte[] Log = new byte[256];

    static ReedSolomon()
    {
        var x = 1;
        for (var i = 0; i < 255; i++)
        {
            Exp[i] = (byte)x;
            Log[x] = (byte)i;
            x <<= 1;
            if ((x & 0x100) != 0) x ^= 0x11D;
        }
        // A doubled table lets Multiply skip the "mod 255".
        for (var i = 255; i < 512; i++) Exp[i] = Exp[i - 255];
    }

    public static byte Multiply(byte a, byte b) => a == 0 || b == 0 ? (byte)0 : Exp[Log[a] + Log[b]];

    /// <summary>Generator coefficients, highest degree first, the leading 1 omitted (length = degree).</summary>
    public static byte[] Generator(int degree)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(degree);
        // Start from g(x) = 1 and multiply by (x + αⁱ) for each i; coefficients highest degree first.
        var poly = new byte[degree + 1];
        poly[0] = 1;
        for (var i = 0; i < degree; i++)
        {
            var root = Exp[i];
            for (var j = i + 1; j >= 1; j--)
            {
                poly[j] ^= Multiply(poly[j - 1], root);
            }
        }
        return poly[1..];
    }

    /// <summary>The remainder of data(x)·xⁿ divided by the generator: the ECC codewords of one block.</summary>
    public static byte[] Remainder(ReadOnlySpan<byte> data, int eccLength)
    {
        var generator = Generator(eccLength);
        var remainder = new byte[eccLength];
        foreach (var d in data)
        {
            var factor = (byte)(d ^ remainder[0]);
            Array.Copy(remainder, 1, remainder, 0, eccLength - 1);
            remainder[eccLength - 1] = 0;
            for (var j = 0; j < eccLength; j++)
            {
                remainder[j] ^= Multiply(generator[j], factor);
            }
        }
        return remainder;
    }
}
