using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Benchmarks;

/// <summary>
/// The real API as a separate Release process on a free loopback port, with a database, throwaway
/// keys and a blob folder of its own, and the worker as a second process beside it (unless the settings
/// say Worker__Enabled=false): measured as they run in production, not inside the benchmark's process.
/// Disposing it kills both (however the benchmark ends), then drops the database and deletes the blob folder.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private Process? _worker;
    private readonly string _blobRoot;
    private int _warnings;
    private int _errors;

    private ApiProcess(Process process, string url, PostgresDatabase database, string blobRoot)
    {
        _process = process;
        Url = url;
        Database = database;
        _blobRoot = blobRoot;
    }

    /// <summary>The API's database on the run's throwaway cluster (PHOTORECEIPT_TEST_PG), cloned from the migrated template.</summary>
    public PostgresDatabase Database { get; }

    /// <summary>http://127.0.0.1:port, no trailing slash.</summary>
    public string Url { get; }

    public int Pid => _process.Id;

    /// <summary>The API's and, when it runs, the worker's process ids: what serving a request costs, all of it.</summary>
    public IReadOnlyCollection<int> Pids => _worker is null ? [_process.Id] : [_process.Id, _worker.Id];

    /// <summary>Log lines the API wrote at warning level, and at error or critical level, so far.</summary>
    public (int Warnings, int Errors) LogCounts => (Volatile.Read(ref _warnings), Volatile.Read(ref _errors));

    /// <summary>Starts the API and waits until /readyz answers 200. <paramref name="settings"/> are
    /// environment variables on top of the ones every run needs (connection, keys, blob folder).</summary>
    public static async Task<ApiProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var dll = Path.Combine(RepoPaths.Root, "src", "PhotoReceipt.Api", "bin", "Release", "net10.0", "PhotoReceipt.Api.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("build the API in Release first (./build.sh bench does)", dll);
        var url = $"http://127.0.0.1:{LoopbackPort.Free()}";
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", url])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        var database = new PostgresDatabase();
        await database.InitializeAsync();
        var blobRoot = Directory.CreateTempSubdirectory("photoreceipt-bench-blobs-").FullName;
        psi.Environment["ConnectionStrings__Postgres"] = database.ConnectionString;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Blobs__Root"] = blobRoot;
        psi.Environment["Pii__CurrentKeyId"] = "bench";
        psi.Environment["Pii__Keys__bench"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        psi.Environment["Pii__LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        psi.Environment["Files__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        foreach (var (name, value) in settings) psi.Environment[name] = value;

        var api = new ApiProcess(Process.Start(psi)!, url, database, blobRoot);
        api._process.OutputDataReceived += (_, e) => api.Log(e.Data);
        api._process.ErrorDataReceived += (_, e) => api.Log(e.Data);
        api._process.BeginOutputReadLine();
        api._process.BeginErrorReadLine();
        try
        {
            await api.WaitReadyAsync();
            // Started once the API has migrated the database, like the worker service of docker-compose.
            if (!(settings.TryGetValue("Worker__Enabled", out var enabled) && enabled == "false"))
                api.StartWorker(psi.Environment);
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
        return api;
    }

    private void StartWorker(IDictionary<string, string?> environment)
    {
        var dll = Path.Combine(RepoPaths.Root, "src", "PhotoReceipt.Worker", "bin", "Release", "net10.0", "PhotoReceipt.Worker.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("build the worker in Release first (./build.sh bench does)", dll);
        var psi = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        _worker = Process.Start(psi)!;
        _worker.OutputDataReceived += (_, e) => Log(e.Data);
        _worker.ErrorDataReceived += (_, e) => Log(e.Data);
        _worker.BeginOutputReadLine();
        _worker.BeginErrorReadLine();
    }

    public async ValueTask DisposeAsync()
    {
        if (_worker is not null)
        {
            if (!_worker.HasExited) _worker.Kill(entireProcessTree: true);
            await _worker.WaitForExitAsync();
            _worker.Dispose();
        }
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        await Database.DisposeAsync();
        try { Directory.Delete(_blobRoot, recursive: true); }
        catch (IOException) { } // a file still being written as the process died; the temp folder is the OS's to clean
    }

    private void Log(string? line)
    {
        if (line is null) return;
        // The console logger opens each entry with its level: "warn: …", "fail: …", "crit: …".
        if (line.StartsWith("warn:", StringComparison.Ordinal)) Interlocked.Increment(ref _warnings);
        else if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)) Interlocked.Increment(ref _errors);
        Console.Error.WriteLine("[api] " + line);
    }

    private async Task WaitReadyAsync()
    {
        using var client = new HttpClient();
        for (var i = 0; i < 120; i++)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the API exited with {_process.ExitCode}");
            try
            {
                if ((await client.GetAsync(Url + "/readyz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("the API did not become ready in 30 s");
    }
}
