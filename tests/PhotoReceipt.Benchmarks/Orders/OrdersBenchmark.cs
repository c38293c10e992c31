using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;
using PhotoReceipt.Testing;

namespace PhotoReceipt.Benchmarks.Orders;

/// <summary>
/// GET /api/v1/orders for a user with 20 orders among 1,000 users, beside a minimal ASP.NET
/// endpoint that runs one trivial Npgsql query, both driven by wrk (32 connections, 30 s) in the
/// same run on the same machine. Target: the list at ≥ 60 % of the baseline's requests/s.
/// </summary>
public static class OrdersBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var duration = TimeSpan.FromSeconds(args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30);
        var db = new PostgresDatabase();
        await db.InitializeAsync();
        try
        {
            var apiPort = FreePort();
            using var api = StartApi(db.ConnectionString, apiPort);
            using var stopApi = new ApiStopper(api);
            await WaitReadyAsync($"http://127.0.0.1:{apiPort}/readyz", api);
            var token = await SeedAsync(db.DataSource);

            await using var baseline = await Baseline.StartAsync(db.ConnectionString);
            var listUrl = $"http://127.0.0.1:{apiPort}/api/v1/orders";
            using (var check = new HttpClient())
            {
                check.DefaultRequestHeaders.Authorization = new("Bearer", token);
                var body = await check.GetStringAsync(listUrl);
                var count = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("items").GetArrayLength();
                if (count != 20) throw new InvalidOperationException($"expected 20 orders in the list, got {count}");
            }

            Console.WriteLine($"warming up (5 s each) …");
            await Wrk.RunAsync(baseline.Url, 32, TimeSpan.FromSeconds(5));
            await Wrk.RunAsync(baseline.TunedUrl, 32, TimeSpan.FromSeconds(5));
            await Wrk.RunAsync(listUrl, 32, TimeSpan.FromSeconds(5), token);
            Console.WriteLine($"measuring ({duration.TotalSeconds:0} s each, 32 connections, wrk -t2) …");
            var b = await Wrk.RunAsync(baseline.Url, 32, duration);
            var t = await Wrk.RunAsync(baseline.TunedUrl, 32, duration);
            var o = await Wrk.RunAsync(listUrl, 32, duration, token);

            var ratio = o.RequestsPerSecond / b.RequestsPerSecond;
            var strict = o.RequestsPerSecond / t.RequestsPerSecond;
            Console.WriteLine();
            Console.WriteLine("| endpoint | requests/s | p50 ms | p99 ms | requests | non-2xx |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            Console.WriteLine(Row("baseline: minimal endpoint, SELECT 1 via Npgsql (defaults)", b));
            Console.WriteLine(Row("baseline, tuned: the same with the app's connection tuning", t));
            Console.WriteLine(Row("GET /api/v1/orders (20 orders, 1,000 users)", o));
            Console.WriteLine();
            Console.WriteLine($"list / minimal endpoint = {ratio:P0} (target ≥ 60 %): {(ratio >= 0.6 && o.Errors == 0 ? "PASS" : "FAIL")}");
            Console.WriteLine($"list / tuned minimal endpoint = {strict:P0} (the stricter floor; no target)");
            return ratio >= 0.6 && o.Errors == 0 && b.Errors == 0 ? 0 : 1;
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    private static string Row(string name, WrkResult r) =>
        string.Create(CultureInfo.InvariantCulture, $"| {name} | {r.RequestsPerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.Requests} | {r.Errors} |");

    /// <summary>1,000 users with 20 orders each; returns a bearer token for one of them.</summary>
    private static async Task<string> SeedAsync(NpgsqlDataSource db)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            INSERT INTO users (id, openid) SELECT gen_random_uuid(), 'bench_' || g FROM generate_series(1, 1000) g;
            INSERT INTO photos (id, user_id, product_id, spec_id, status, source_format, source_bytes, usable, report)
              SELECT gen_random_uuid(), id, 'residence-permit-shenzhen', 'cn-id-card', 'processed', 'jpeg', 100000, true, '{"usable":true,"checks":[]}'
              FROM users;
            INSERT INTO orders (id, order_no, user_id, product_id, photo_id, status, price_fen, applicant_name_masked,
                                applicant_id_masked, applicant_phone_masked, consent_version, consent_at, idempotency_key, request_hash, created_at)
              SELECT gen_random_uuid(), 'R' || lpad((row_number() OVER ())::text, 16, '0'), p.user_id, p.product_id, p.id,
                     (ARRAY['awaiting_payment','queued','submitted','approved','cancelled'])[1 + g % 5], 990,
                     '张*', '**************123X', '138****5678', '2026-11', now(), 'k' || g, '\x00', now() - g * interval '1 minute'
              FROM photos p CROSS JOIN generate_series(1, 20) g;
            ANALYZE;
            """);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await conn.ExecuteAsync("""
            INSERT INTO sessions (token_hash, user_id, expires_at)
            SELECT @hash, id, now() + interval '1 day' FROM users WHERE openid = 'bench_500'
            """, new { hash = SHA256.HashData(Encoding.UTF8.GetBytes(token)) });
        return token;
    }

    private static Process StartApi(string connectionString, int port)
    {
        var dll = Path.Combine(RepoPaths.Root, "src", "PhotoReceipt.Api", "bin", "Release", "net10.0", "PhotoReceipt.Api.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("build the API in Release first (./build.sh bench does)", dll);
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["ConnectionStrings__Postgres"] = connectionString;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        psi.Environment["Worker__Enabled"] = "false";
        psi.Environment["Blobs__Root"] = Path.Combine(Path.GetTempPath(), "photoreceipt-bench-blobs");
        psi.Environment["Pii__CurrentKeyId"] = "bench";
        psi.Environment["Pii__Keys__bench"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        psi.Environment["Pii__LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        psi.Environment["Files__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[api] " + e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[api] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitReadyAsync(string url, Process api)
    {
        using var client = new HttpClient();
        for (var i = 0; i < 120; i++)
        {
            if (api.HasExited) throw new InvalidOperationException($"the API exited with {api.ExitCode}");
            try
            {
                if ((await client.GetAsync(url)).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("the API did not become ready in 30 s");
    }

    /// <summary>Stops the API process when the benchmark ends, however it ends.</summary>
    private sealed class ApiStopper(Process api) : IDisposable
    {
        public void Dispose()
        {
            if (!api.HasExited) api.Kill(entireProcessTree: true);
            api.WaitForExit();
        }
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
