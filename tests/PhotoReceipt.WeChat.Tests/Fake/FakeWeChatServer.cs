using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PhotoReceipt.WeChat.Tests.Fake;

/// <summary>One recorded request as the fake received it.</summary>
public sealed record FakeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// A fault served instead of (or before) the normal answer of one path: an errcode envelope, a WeChat Pay error,
/// or a delay after which the request is still processed (a reply lost to a client timeout).
/// </summary>
public abstract record FakeFault
{
    public sealed record ErrCode(int Code, string Message) : FakeFault;
    public sealed record PayError(int Status, string Code, string Message) : FakeFault;
    public sealed record Delay(TimeSpan Duration) : FakeFault;
}

/// <summary>
/// A fake of api.weixin.qq.com and api.mch.weixin.qq.com on loopback (real HTTP through Kestrel), speaking the
/// wire format of ../shared/reference/wechat.md: errcode omitted on success where WeChat omits it, "rid: …" in
/// every errmsg, access_token only in the query, stable_token semantics, WeChat Pay v3 Authorization checked
/// against the merchant public key, notices signed with a platform key generated here.
/// </summary>
public sealed partial class FakeWeChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeFault>> _faults = new(StringComparer.Ordinal);
    private readonly Lock _tokenGate = new();
    private int _stableTokenCalls, _forceRefreshCalls, _tokenSerial, _ridSerial;

    public string AppId { get; } = "wxfake00000000001";
    public string AppSecret { get; } = "fake-app-secret-0123456789abcdef";
    public string MchId { get; } = "1900000109";
    public string MerchantSerialNo { get; } = "5157F09EFDC096DE15EBE81A47057A72";
    public string ApiV3Key { get; } = "fakeApiV3Key0123456789abcdefABCD";
    public string PublicKeyId { get; } = "PUB_KEY_ID_0119000001092025010100000000";

    /// <summary>The merchant API key pair: the client signs with the private half, the fake verifies with the public half.</summary>
    public RSA MerchantKey { get; } = RSA.Create(2048);
    /// <summary>WeChat Pay's key pair: the fake signs notices, the client verifies with the public half.</summary>
    public RSA PlatformKey { get; } = RSA.Create(2048);
    public string MerchantPrivateKeyPem => MerchantKey.ExportPkcs8PrivateKeyPem();
    public string PlatformPublicKeyPem => PlatformKey.ExportSubjectPublicKeyInfoPem();

    public string BaseUrl { get; private set; } = "";
    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    /// <summary>How many times /cgi-bin/stable_token was called (any mode).</summary>
    public int StableTokenCalls => Volatile.Read(ref _stableTokenCalls);
    /// <summary>How many of those asked for force_refresh: our client must never do so on its own.</summary>
    public int ForceRefreshCalls => Volatile.Read(ref _forceRefreshCalls);
    public string? CurrentToken { get; private set; }
    private DateTimeOffset _tokenExpires;

    /// <summary>Seconds stable_token reports as expires_in for a newly issued token.</summary>
    public int TokenLifetimeSeconds { get; set; } = 7200;

    private FakeWeChatServer(WebApplication app) => _app = app;

    public static async Task<FakeWeChatServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeWeChatServer(app);
        fake.MapWeChat(app);
        fake.MapPay(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = address.TrimEnd('/');
        return fake;
    }

    /// <summary>Queues a fault for the next request to <paramref name="path"/> (faults are consumed in order).</summary>
    public void Inject(string path, FakeFault fault) =>
        _faults.GetOrAdd(path, _ => new ConcurrentQueue<FakeFault>()).Enqueue(fault);

    /// <summary>Another party refreshed the token (e.g. a force_refresh elsewhere): the current one now gets 40001.</summary>
    public void RotateToken()
    {
        lock (_tokenGate) IssueToken();
    }

    /// <summary>The current token expires now: API calls with it get 42001 and stable_token issues a new one.</summary>
    public void ExpireToken()
    {
        lock (_tokenGate) _tokenExpires = DateTimeOffset.UtcNow.AddSeconds(-1);
    }

    public IEnumerable<FakeRequest> RequestsTo(string path) => Requests.Where(r => r.Path == path);

    public string NewRid() => $"6{Interlocked.Increment(ref _ridSerial):x7}-{Random.Shared.Next():x8}-{Random.Shared.Next():x8}";

    private void IssueToken()
    {
        // Real tokens are long opaque strings; WeChat says to store at least 512 characters.
        var serial = ++_tokenSerial;
        CurrentToken = $"{serial:D4}_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)).Replace('+', 'A').Replace('/', 'B');
        _tokenExpires = DateTimeOffset.UtcNow.AddSeconds(TokenLifetimeSeconds);
    }

    /// <summary>Records the request, then applies a queued fault if any; returns the fault result or null to proceed.</summary>
    private async Task<IResult?> EnterAsync(HttpContext http, string body)
    {
        var path = http.Request.Path.Value!;
        Requests.Enqueue(new FakeRequest(http.Request.Method, path,
            http.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
            body,
            http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        if (!_faults.TryGetValue(path, out var queue) || !queue.TryDequeue(out var fault)) return null;
        switch (fault)
        {
            case FakeFault.Delay d:
                // Not tied to RequestAborted: WeChat finishes what it received even when the caller gave up.
                await Task.Delay(d.Duration);
                return null;
            case FakeFault.ErrCode e:
                return Error(e.Code, e.Message);
            case FakeFault.PayError p:
                return PayErrorResult(http, p.Status, p.Code, p.Message);
            default:
                throw new InvalidOperationException("Unknown fault " + fault);
        }
    }

    // Typed as Delegate so the returned IResult is written (a RequestDelegate would discard it).
    private static void Map(WebApplication app, string method, string pattern, Func<HttpContext, Task<IResult>> handler) =>
        app.MapMethods(pattern, [method], (Delegate)handler);

    /// <summary>WeChat's error envelope: HTTP 200, errcode, errmsg ending in "rid: …".</summary>
    private IResult Error(int code, string message) =>
        Json(new Dictionary<string, object> { ["errcode"] = code, ["errmsg"] = $"{message} rid: {NewRid()}" });

    /// <summary>WeChat labels its JSON "application/json; encoding=utf-8".</summary>
    private static IResult Json(object value) =>
        Results.Text(JsonSerializer.Serialize(value), "application/json; encoding=utf-8", Encoding.UTF8);

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        if (request.HasFormContentType) return "";
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        MerchantKey.Dispose();
        PlatformKey.Dispose();
    }
}
