using PhotoReceipt.Testing;

namespace PhotoReceipt.Receipts.Tests;

/// <summary>Keeps the last rendered receipts under .data/test-output/receipts for a person to look at.</summary>
internal static class OutputDump
{
    public static readonly string Folder = Path.Combine(RepoPaths.Root, ".data", "test-output", "receipts");

    public static string Write(string name, byte[] bytes)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
