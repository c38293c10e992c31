using PhotoReceipt.Testing;

namespace PhotoReceipt.Imaging.Tests;

/// <summary>Keeps the last outputs (photos, previews, contact sheets) under .data/test-output/imaging for a person to look at.</summary>
internal static class OutputDump
{
    public static readonly string Folder = Path.Combine(RepoPaths.Root, ".data", "test-output", "imaging");

    public static string Write(string name, byte[] bytes)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
