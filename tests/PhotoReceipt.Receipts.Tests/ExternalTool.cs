using System.Diagnostics;

namespace PhotoReceipt.Receipts.Tests;

/// <summary>
/// Runs the Debian command-line tools that serve as independent judges of our encoders
/// (zbarimg from zbar-tools; pdfinfo, pdftotext, pdftoppm from poppler-utils). A missing tool is a
/// failed test with the install line, never a silent skip.
/// </summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Result Run(string tool, string debianPackage, params string[] arguments)
    {
        var path = Find(tool) ?? throw new InvalidOperationException(
            $"'{tool}' is not installed; these receipt tests need it. Install it with: apt-get install -y {debianPackage}");
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {path}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            throw new TimeoutException($"{tool} did not finish in 30 s.");
        }
        return new Result(process.ExitCode, stdout.Result, stderr);
    }

    /// <summary>Decoded symbols of one image, one per line, as zbarimg --raw prints them.</summary>
    public static string[] ZbarDecode(string imagePath)
    {
        var result = Run("zbarimg", "zbar-tools", "--raw", "-q", imagePath);
        Assert.True(result.ExitCode == 0, $"zbarimg found no symbol in {imagePath} (exit {result.ExitCode}): {result.StandardError}");
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string? Find(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}

/// <summary>A per-test scratch directory, removed afterwards.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "photoreceipt-receipts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, byte[] bytes)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
