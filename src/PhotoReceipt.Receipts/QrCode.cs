using QRCoder;

namespace PhotoReceipt.Receipts;

/// <summary>
/// A QR Code model 2 symbol (ISO/IEC 18004) made by QRCoder: the payload's bytes in byte mode at
/// error-correction level M, versions 1–10 (up to 213 bytes: a receipt URL fits with room to spare,
/// and the modules stay large enough in the layout's box for a hand scanner).
/// </summary>
public sealed class QrCode
{
    /// <summary>ISO/IEC 18004 asks for four modules of light quiet zone around the symbol.</summary>
    public const int QuietZoneModules = 4;

    /// <summary>Byte-mode capacity of version 10 at level M (ISO/IEC 18004 table 7).</summary>
    public const int MaxBytes = 213;

    private readonly bool[,] _dark;

    private QrCode(int version, bool[,] dark)
    {
        Version = version;
        _dark = dark;
    }

    public int Version { get; }
    /// <summary>Modules per side without the quiet zone: 17 + 4 × version.</summary>
    public int Size => _dark.GetLength(0);

    /// <summary>True when the module in column <paramref name="x"/>, row <paramref name="y"/> is dark.</summary>
    public bool IsDark(int x, int y) => _dark[y, x];

    /// <summary>Encodes the UTF-8 bytes of <paramref name="text"/> (URLs are ASCII, so scanners read them verbatim).</summary>
    public static QrCode EncodeText(string text) => EncodeBytes(System.Text.Encoding.UTF8.GetBytes(text));

    public static QrCode EncodeBytes(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length > MaxBytes)
            throw new ArgumentException($"A receipt QR code holds at most {MaxBytes} bytes (version 10-M); this payload has {data.Length}.", nameof(data));
        using var code = QRCodeGenerator.GenerateQrCode(data, QRCodeGenerator.ECCLevel.M);
        // QRCoder's matrix carries its own four-module quiet zone; we keep the symbol alone and add
        // the quiet zone when rendering.
        var withQuiet = code.ModuleMatrix;
        var size = withQuiet.Count - (2 * QuietZoneModules);
        var dark = new bool[size, size];
        for (var y = 0; y < size; y++)
        {
            var row = withQuiet[y + QuietZoneModules];
            for (var x = 0; x < size; x++) dark[y, x] = row[x + QuietZoneModules];
        }
        return new QrCode(code.Version, dark);
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
