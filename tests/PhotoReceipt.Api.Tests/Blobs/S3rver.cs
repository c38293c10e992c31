using System.Diagnostics;
using System.Text.RegularExpressions;
using PhotoReceipt.Data.Blobs;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Blobs;

/// <summary>
/// s3rver (npm), an S3 server that is not ours, on a loopback port with one bucket and a folder of
/// its own; stopped and deleted with the fixture. It checks access keys and expiry but not
/// signatures: what it can and cannot prove is in the README ("Object storage").
/// </summary>
public sealed partial class S3rver : IAsyncLifetime
{
    public const string Bucket = "photoreceipt-test";
    private Process? _process;
    private string? _dir;

    public string ServiceUrl { get; private set; } = "";

    public S3BlobOptions Options(string? publicUrl = null) => new()
    {
        Bucket = Bucket,
        ServiceUrl = ServiceUrl,
        PublicUrl = publicUrl,
        AccessKey = "S3RVER",
        SecretKey = "S3RVER",
    };

    /// <summary>The settings that point an app at this server.</summary>
    public IEnumerable<KeyValuePair<string, string?>> AppSettings() =>
    [
        new("Blobs:Store", "S3"),
        new("Blobs:S3:Bucket", Bucket),
        new("Blobs:S3:ServiceUrl", ServiceUrl),
        new("Blobs:S3:AccessKey", "S3RVER"),
        new("Blobs:S3:SecretKey", "S3RVER"),
    ];

    public async Task InitializeAsync()
    {
        var folder = Path.Combine(RepoPaths.Root, "tests", "PhotoReceipt.Api.Tests", "s3rver");
        var script = Path.Combine(folder, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"{script} is missing: ./build.sh test installs it (by hand: npm ci --prefix {folder})");
        _dir = Directory.CreateTempSubdirectory("photoreceipt-s3rver-").FullName;
        // node directly, not npx: killing npx leaves the server running. s3rver makes ListObjectsV2
        // continuation tokens with DES, which OpenSSL 3 keeps in its legacy provider.
        var psi = new ProcessStartInfo("node", ["--openssl-legacy-provider", script, "-d", _dir, "-a", "127.0.0.1", "-p", "0", "-s", "--configure-bucket", Bucket])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (Listening().Match(e.Data) is { Success: true } m) listening.TrySetResult(m.Groups[1].Value);
        };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var started = await Task.WhenAny(listening.Task, _process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(30)));
        if (started != listening.Task)
            throw new InvalidOperationException($"s3rver did not start: {output}");
        ServiceUrl = $"http://127.0.0.1:{await listening.Task}";
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }
        if (_dir is not null) Directory.Delete(_dir, recursive: true);
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}
