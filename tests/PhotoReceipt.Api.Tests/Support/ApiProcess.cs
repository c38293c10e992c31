using System.Diagnostics;
using System.Net;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Api.Tests.Support;

/// <summary>
/// The built API (src/PhotoReceipt.Api/bin/…/PhotoReceipt.Api.dll) as a process of its own on a
/// loopback port, behind real Kestrel: what it holds in memory is its own resident set, which the
/// test host's buffers and TestServer's copies cannot blur.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _blobRoot;
    private readonly StringWriter _output = new();

    public Uri BaseAddress { get; }
    public int Pid => _process.Id;

    private ApiProcess(Process process, Uri baseAddress, string blobRoot)
    {
        _process = process;
        BaseAddress = baseAddress;
        _blobRoot = blobRoot;
    }

    public static async Task<ApiProcess> StartAsync(string connectionString, IEnumerable<KeyValuePair<string, string?>> settings,
        string environment = "Development")
    {
        // PHOTORECEIPT_API_DLL measures another build (e.g. main's, for a before/after figure).
        var dll = Environment.GetEnvironmentVariable("PHOTORECEIPT_API_DLL") is { Length: > 0 } other ? other
            : Path.Combine(RepoPaths.Root, "src", "PhotoReceipt.Api", "bin", BuildConfiguration(), "net10.0", "PhotoReceipt.Api.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build the solution first (./build.sh test does)");
        var port = LoopbackPort.Free();
        var blobRoot = Directory.CreateTempSubdirectory("photoreceipt-proc-blobs-").FullName;
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var all = ApiFactory.TestSettings(connectionString, blobRoot);
        all["Logging:LogLevel:Default"] = "Warning";
        foreach (var (k, v) in settings) all[k] = v;
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        foreach (var (k, v) in all) psi.Environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        var process = Process.Start(psi)!;
        var api = new ApiProcess(process, new Uri($"http://127.0.0.1:{port}"), blobRoot);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (api._output) api._output.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (api._output) api._output.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"the API exited ({process.ExitCode}): {api.Output}");
            try
            {
                if ((await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK) return api;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the API did not become ready: {api.Output}");
            await Task.Delay(200);
        }
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>VmRSS of the API process, in bytes (Linux /proc).</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException("no VmRSS");
    }

    private static string BuildConfiguration() =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_blobRoot, recursive: true); } catch (IOException) { }
    }
}
