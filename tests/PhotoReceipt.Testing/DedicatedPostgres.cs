using System.Diagnostics;

namespace PhotoReceipt.Testing;

/// <summary>
/// A PostgreSQL cluster of one test's own, which the test may stop and start (an outage) without
/// touching the run's shared server. It mirrors build.sh's pg_start/pg_stop: the machine's initdb and
/// pg_ctl, run as the postgres user when we are root, loopback only, the socket inside the folder,
/// and the same port across restarts so the app's connection string stays valid.
/// </summary>
public sealed class DedicatedPostgres : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;
    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5";

    private DedicatedPostgres(string dir, string bin, int port) => (_dir, _bin, Port) = (dir, bin, port);

    public static async Task<DedicatedPostgres> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")))
            .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0).LastOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql");
        var parent = Directory.CreateTempSubdirectory("photoreceipt-dedicated-pg-").FullName;
        File.SetUnixFileMode(parent, (UnixFileMode)0b111_101_101);
        var dir = Path.Combine(parent, "data");
        Directory.CreateDirectory(dir);
        if (IsRoot) await RunAsync("chown", "postgres:", dir);
        await RunAsync(AsPostgres(Path.Combine(bin, "initdb"), "-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"));
        var pg = new DedicatedPostgres(dir, bin, LoopbackPort.Free());
        await pg.StartServerAsync();
        return pg;
    }

    public Task StartServerAsync() => RunAsync(AsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", _dir, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60",
        "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start"));

    /// <summary>Fast shutdown: open connections are terminated, as when the database host goes away.</summary>
    public Task StopServerAsync() => RunAsync(AsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", _dir, "-m", "fast", "-w", "stop"));

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(_dir, "postmaster.pid")))
        {
            try { await StopServerAsync(); } catch (InvalidOperationException) { }
        }
        try { Directory.Delete(Path.GetDirectoryName(_dir)!, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static bool IsRoot => Environment.UserName == "root";

    // initdb and pg_ctl refuse to run as root.
    private static string[] AsPostgres(params string[] command) => IsRoot ? ["runuser", "-u", "postgres", "--", .. command] : command;

    private static Task RunAsync(params string[] command) => RunAsync(command[0], command[1..]);

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
    }
}
