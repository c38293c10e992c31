using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PhotoReceipt.Data.Migrations;

namespace PhotoReceipt.Testing;

/// <summary>
/// The PostgreSQL server of this test run. `./build.sh test` starts a throwaway cluster and passes
/// it in PHOTORECEIPT_TEST_PG; a plain `dotnet test` starts one the same way (build.sh pg-throwaway)
/// and stops it when the process exits.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<string> Server = new(StartOrFind, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _template;

    public static string ServerConnectionString => Server.Value;

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ConnectionString;

    /// <summary>
    /// The migrated template database, named after the migrations' content so that every test
    /// assembly of the run (they run as separate processes) shares one and a changed migration
    /// gets a fresh one. A server-side advisory lock keeps two processes from building it at once.
    /// </summary>
    public static async Task<string> TemplateAsync()
    {
        if (_template is not null) return _template;
        await TemplateGate.WaitAsync();
        try
        {
            if (_template is not null) return _template;
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(Migrator.Scripts.Select(s => s.Name + s.Sql))));
            var name = "photoreceipt_tpl_" + Convert.ToHexStringLower(hash)[..12];
            await using (var admin = new NpgsqlConnection(ServerConnectionString))
            {
                await admin.OpenAsync();
                await admin.ExecuteAsync("SELECT pg_advisory_lock(4242)");
                try
                {
                    var exists = await admin.ExecuteScalarAsync<bool>(
                        "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", new { name });
                    if (!exists)
                    {
                        await admin.ExecuteAsync($"CREATE DATABASE \"{name}\"");
                        await using (var ds = NpgsqlDataSource.Create(ConnectionStringFor(name)))
                            await new Migrator(ds, NullLogger<Migrator>.Instance).MigrateAsync();
                        NpgsqlConnection.ClearAllPools();
                        await admin.ExecuteAsync($"ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
                    }
                }
                finally
                {
                    await admin.ExecuteAsync("SELECT pg_advisory_unlock(4242)");
                }
            }
            return _template = name;
        }
        finally
        {
            TemplateGate.Release();
        }
    }

    private static string StartOrFind()
    {
        var fromEnv = Environment.GetEnvironmentVariable("PHOTORECEIPT_TEST_PG");
        if (!string.IsNullOrWhiteSpace(fromEnv)) return fromEnv;

        // A plain `dotnet test` (an IDE, a single project) shares one cluster per machine user and
        // leaves it running for the next run: a test host is killed rather than shut down, so a
        // per-run cluster would leak. `./build.sh pg-stop <dir>` stops it.
        var dir = Path.Combine(Path.GetTempPath(), "photoreceipt-test-pg-shared");
        var dataDir = Path.Combine(dir, "data");
        using var mutex = new Mutex(false, "photoreceipt-test-pg-shared");
        mutex.WaitOne();
        try
        {
            if (RunningPort(dataDir) is { } port)
                return $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres";
            Directory.CreateDirectory(dir);
            // The postgres user (initdb refuses root) must be able to enter the folder.
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
            return RunScript(Path.Combine(RepoPaths.Root, "build.sh"), "pg-throwaway", dataDir).Trim();
        }
        finally
        {
            mutex.ReleaseMutex();
        }
    }

    /// <summary>The port of a live cluster in the folder, from postmaster.pid (line 4), or null.</summary>
    private static int? RunningPort(string dataDir)
    {
        var pidFile = Path.Combine(dataDir, "postmaster.pid");
        if (!File.Exists(pidFile)) return null;
        var lines = File.ReadAllLines(pidFile);
        if (lines.Length < 4 || !int.TryParse(lines[0], out var pid) || !int.TryParse(lines[3], out var port)) return null;
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : port;
        }
        catch (ArgumentException)
        {
            return null; // stale pid file: the cluster is not running
        }
    }

    private static string RunScript(string script, string verb, string arg)
    {
        var psi = new ProcessStartInfo("bash", [script, verb, arg])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"build.sh {verb} failed ({process.ExitCode}): {error}");
        return output;
    }
}
