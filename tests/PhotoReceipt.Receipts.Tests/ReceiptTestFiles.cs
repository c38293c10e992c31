using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PhotoReceipt.Receipts.Tests;

/// <summary>Fixture lookup and small readers for what the Debian tools write.</summary>
internal static partial class ReceiptTestFiles
{
    /// <summary>A real JPEG portrait (576×768, grey wall) from ../shared/fixtures/portraits.</summary>
    public static byte[] PortraitJpeg() => File.ReadAllBytes(Portrait("test0.jpg"));

    public static string Portrait(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PhotoReceipt.sln"))) dir = dir.Parent;
        var root = dir ?? throw new InvalidOperationException("PhotoReceipt.sln not found above " + AppContext.BaseDirectory);
        var path = Path.Combine(root.FullName, "..", "shared", "fixtures", "portraits", name);
        Assert.True(File.Exists(path), $"fixture {path} is missing");
        return path;
    }

    /// <summary>Reads a binary PGM (P5, 8-bit), the format of pdftoppm -gray.</summary>
    public static (int Width, int Height, byte[] Pixels) ReadPgm(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var pos = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)bytes[pos])) pos++;
            var start = pos;
            while (!char.IsWhiteSpace((char)bytes[pos])) pos++;
            return System.Text.Encoding.ASCII.GetString(bytes, start, pos - start);
        }
        Assert.Equal("P5", Token());
        var width = int.Parse(Token(), CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), CultureInfo.InvariantCulture);
        Assert.Equal("255", Token());
        pos++; // the single whitespace byte before the samples
        return (width, height, bytes[pos..(pos + (width * height))]);
    }

    /// <summary>The bounding box (inclusive pixels) of samples darker than <paramref name="threshold"/> inside a region.</summary>
    public static (int X0, int Y0, int X1, int Y1) DarkBounds(int width, byte[] pixels, int threshold,
        int regionX, int regionY, int regionW, int regionH)
    {
        int x0 = int.MaxValue, y0 = int.MaxValue, x1 = -1, y1 = -1;
        for (var y = regionY; y < regionY + regionH; y++)
        {
            for (var x = regionX; x < regionX + regionW; x++)
            {
                if (pixels[(y * width) + x] >= threshold) continue;
                x0 = Math.Min(x0, x); y0 = Math.Min(y0, y); x1 = Math.Max(x1, x); y1 = Math.Max(y1, y);
            }
        }
        return (x0, y0, x1, y1);
    }

    /// <summary>pdfinfo's "Page size: W x H pts" line, in points.</summary>
    public static (double Width, double Height) PageSizePts(string pdfinfoOutput)
    {
        var m = PageSizeRegex().Match(pdfinfoOutput);
        Assert.True(m.Success, "no page size in pdfinfo output:\n" + pdfinfoOutput);
        return (double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"Page size:\s+([\d.]+) x ([\d.]+) pts")]
    private static partial Regex PageSizeRegex();
}
