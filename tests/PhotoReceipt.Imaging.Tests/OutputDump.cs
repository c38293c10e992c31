namespace PhotoReceipt.Imaging.Tests;

/// <summary>Keeps the last outputs under the temp folder so a person can look at them.</summary>
internal static class OutputDump
{
    public static readonly string Folder = Path.Combine(Path.GetTempPath(), "photoreceipt-imaging-tests");

    public static void Write(string name, byte[] bytes)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllBytes(Path.Combine(Folder, name), bytes);
    }
}
