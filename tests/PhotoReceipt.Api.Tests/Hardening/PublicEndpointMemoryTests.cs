using System.Net.Sockets;
using System.Text;
using System.Security.Cryptography;
using PhotoReceipt.Api.Tests.Support;
using PhotoReceipt.Testing;
using PhotoReceipt.WeChat.Tests.Fake;
using Xunit.Abstractions;

namespace PhotoReceipt.Api.Tests.Hardening;

/// <summary>
/// The issue's figure: 16 × 29 MB posts raised the API's RSS from 533 MB to 1455 MB. Here the API
/// runs as its own process (real Kestrel, its own /proc/PID/status), with every public endpoint
/// configured, and takes 8 parallel 29 MB bodies per endpoint, announced and chunked.
/// </summary>
public sealed class PublicEndpointMemoryTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    private const long Body = 29L * 1024 * 1024;
    private const int Parallel = 8;
    private static readonly string[] Endpoints = ["/wechat/push", "/wechat/pay/notify", "/photo-center/callback", "/console/login"];

    [Fact]
    public async Task Eight_parallel_29_MB_bodies_per_public_endpoint_leave_the_APIs_RSS_within_100_MB()
    {
        await using var fake = await FakeWeChatServer.StartAsync();
        await using var api = await ApiProcess.StartAsync(database.ConnectionString,
        [
            .. fake.Configuration(),
            new("PhotoCenter:Mode", "Http"),
            new("PhotoCenter:Http:BaseUrl", "http://127.0.0.1:9"),
            new("PhotoCenter:Http:Secret", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
            new("RateLimits:LoginPerMinute", "1000"),
        ]);

        // Warm up each endpoint (JIT, pools) so the baseline is the steady state, not start-up.
        for (var i = 0; i < 3; i++)
            foreach (var path in Endpoints)
                await SendAsync(api.BaseAddress, path, 2048, announce: true);
        await Task.Delay(500);
        var before = api.ResidentBytes();

        var answers = new List<string>();
        foreach (var announce in new[] { true, false })
            foreach (var path in Endpoints)
            {
                var batch = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(_ => SendAsync(api.BaseAddress, path, Body, announce)));
                answers.AddRange(batch.Select(b => $"{path} {(announce ? "announced" : "chunked")}: {b}"));
            }
        await Task.Delay(1000);
        var after = api.ResidentBytes();
        var peakKb = File.ReadLines($"/proc/{api.Pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));

        output.WriteLine($"RSS before {before / 1048576.0:0.0} MB, after {after / 1048576.0:0.0} MB (+{(after - before) / 1048576.0:0.0} MB); {peakKb}");
        foreach (var group in answers.GroupBy(a => a)) output.WriteLine($"{group.Count()} × {group.Key}");

        // Every request was answered 413 while its body was still being sent.
        Assert.All(answers, a => Assert.EndsWith(": 413", a, StringComparison.Ordinal));
        Assert.True(after - before < 100L * 1024 * 1024, $"RSS grew from {before / 1048576} MB to {after / 1048576} MB");
    }

    /// <summary>
    /// Over a raw socket, so that the answer is read while the body is still being sent (HttpClient
    /// reports a reset instead when the server closes on a body it will not take): "413" etc., or
    /// "closed" when the connection ended with no answer at all.
    /// </summary>
    private static async Task<string> SendAsync(Uri server, string path, long length, bool announce)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var type = path.StartsWith("/console", StringComparison.Ordinal) ? "application/x-www-form-urlencoded" : "application/json";
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: {type}\r\n"
            + (announce ? $"Content-Length: {length}\r\n" : "Transfer-Encoding: chunked\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        // A form body is one long value (a key that long is refused as a malformed form before the size limit).
        var prefix = type.StartsWith("application/x-www", StringComparison.Ordinal) ? "password="u8.ToArray() : [];
        if (prefix.Length > 0) await stream.WriteAsync(announce ? prefix : [.. Encoding.ASCII.GetBytes($"{prefix.Length:x}\r\n"), .. prefix, .. "\r\n"u8]);
        using var stop = new CancellationTokenSource();
        var sending = Task.Run(async () =>
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'a');
            var frame = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n");
            try
            {
                for (long sent = prefix.Length; sent < length && !stop.IsCancellationRequested; sent += chunk.Length)
                {
                    if (!announce) await stream.WriteAsync(frame, stop.Token);
                    await stream.WriteAsync(chunk, stop.Token);
                    if (!announce) await stream.WriteAsync("\r\n"u8.ToArray(), stop.Token);
                }
                if (!announce) await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
        });
        string answer;
        try
        {
            var buffer = new byte[512];
            var n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
            var statusLine = Encoding.ASCII.GetString(buffer, 0, n).Split("\r\n")[0];
            answer = n == 0 ? "closed" : statusLine.Split(' ')[1];
        }
        catch (IOException)
        {
            answer = "closed";
        }
        await stop.CancelAsync();
        tcp.Close();
        await sending;
        return answer;
    }
}
