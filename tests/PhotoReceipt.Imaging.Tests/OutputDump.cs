using PhotoReceipt.Testing;

namespace PhotoReceipt.Imaging.Tests;

/// <summary>Keeps the last outputs (photos, previews, contact sheets) under .data/test-output/imaging for a person to look at.</summary>
internal static class OutputDump
{
    public static string Write(string name, byte[] bytes) => TestOutput.Write("imaging", name, bytes);
}
