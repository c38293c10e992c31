namespace PhotoReceipt.Testing;

/// <summary>Keeps the last outputs (photos, previews, receipts, contact sheets) under .data/test-output/&lt;area&gt; for a person to look at.</summary>
public static class TestOutput
{
    public static string Write(string area, string name, byte[] bytes)
    {
        var folder = Path.Combine(RepoPaths.Root, ".data", "test-output", area);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
