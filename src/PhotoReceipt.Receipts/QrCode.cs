using System.Text;
using PhotoReceipt.Receipts.Qr;

namespace PhotoReceipt.Receipts;

/// <summary>
/// A QR Code model 2 symbol (ISO/IEC 18004) in byte mode at error-correction level M, versions
/// 1–10 (up to 213 bytes: a receipt URL fits with room to spare).
/// </summary>
public sealed class QrCode
{
    /// <summary>ISO/IEC 18004 asks for four modules of light quiet zone around the symbol.</summary>
    public const int QuietZoneModules = 4;

    private readonly bool[,] _dark;

    private QrCode(int version, int mask, bool[,] dark)
    {
        Version = version;
        Mask = mask;
        _dark = dark;
    }

    public int Version { get; }
    /// <summary>Modules per side: 17 + 4 × version.</summary>
    public int Size => QrTables.Size(Version);
    /// <summary>The data mask (0–7) chosen by the lowest penalty score.</summary>
    public int Mask { get; }

    /// <summary>The largest payload in bytes this encoder accepts.</summary>
    public static int MaxBytes => QrDataEncoder.MaxBytes;

    /// <summary>True when the module in column <paramref name="x"/>, row <paramref name="y"/> is dark.</summary>
    public bool IsDark(int x, int y) => _dark[y, x];

    /// <summary>The ISO/IEC 18004 mask penalty of the finished symbol (lower is better).</summary>
    internal int PenaltyScore() => QrPenalty.Score(Size, IsDark);

    /// <summary>Encodes the UTF-8 bytes of <paramref name="text"/> (URLs are ASCII, so scanners read them verbatim).</summary>
    public static QrCode EncodeText(string text) => EncodeBytes(System.Text.Encoding.UTF8.GetBytes(text));

    public static QrCode EncodeBytes(ReadOnlySpan<byte> data) => EncodeBytes(data, mask: null);

    internal static QrCode EncodeBytes(ReadOnlySpan<byte> data, int? mask)
    {
        var version = QrDataEncoder.ChooseByteVersion(data.Length);
        var codewords = QrDataEncoder.AddEccAndInterleave(QrDataEncoder.ByteModeDataCodewords(data, version), version);
        return Build(version, codewords, mask);
    }

    /// <summary>Numeric mode at a fixed version, for the standard's worked example only.</summary>
    internal static QrCode EncodeNumeric(string digits, int version, int? mask)
    {
        var codewords = QrDataEncoder.AddEccAndInterleave(QrDataEncoder.NumericDataCodewords(digits, version), version);
        return Build(version, codewords, mask);
    }

    private static QrCode Build(int version, byte[] codewords, int? forcedMask)
    {
        QrMatrix? best = null;
        var bestMask = -1;
        var bestScore = int.MaxValue;
        for (var mask = 0; mask < 8; mask++)
        {
            if (forcedMask is { } forced && forced != mask) continue;
            var matrix = new QrMatrix(version);
            matrix.PlaceCodewords(codewords);
            matrix.ApplyMask(mask);
            matrix.DrawFormatBits(mask);
            var score = QrPenalty.Score(matrix.Size, matrix.IsDark);
            if (score < bestScore)
            {
                (best, bestMask, bestScore) = (matrix, mask, score);
            }
        }

        var chosen = best ?? throw new ArgumentOutOfRangeException(nameof(forcedMask), forcedMask, "Masks are 0–7.");
        var dark = new bool[chosen.Size, chosen.Size];
        for (var y = 0; y < chosen.Size; y++)
        {
            for (var x = 0; x < chosen.Size; x++) dark[y, x] = chosen.IsDark(x, y);
        }
        return new QrCode(version, bestMask, dark);
    }

    /// <summary>Black modules on white, <paramref name="modulePx"/> pixels each, with the quiet zone.</summary>
    public GrayBitmap Render(int modulePx, int quietZoneModules = QuietZoneModules)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(modulePx);
        ArgumentOutOfRangeException.ThrowIfNegative(quietZoneModules);
        var side = (Size + (2 * quietZoneModules)) * modulePx;
        var bitmap = new GrayBitmap(side, side);
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                if (_dark[y, x])
                {
                    bitmap.FillRect((x + quietZoneModules) * modulePx, (y + quietZoneModules) * modulePx, modulePx, modulePx, 0);
                }
            }
        }
        return bitmap;
    }
}
