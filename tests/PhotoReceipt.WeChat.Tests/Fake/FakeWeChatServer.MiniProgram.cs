using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PhotoReceipt.WeChat.Tests.Fake;

public sealed partial class FakeWeChatServer
{
    private readonly ConcurrentDictionary<string, (string OpenId, string SessionKey, string? UnionId)> _codes = new();
    private readonly ConcurrentDictionary<string, bool> _usedCodes = new();
    private int _mediaSerial, _traceSerial;

    /// <summary>Bytes answered by getwxacodeunlimit (a JPEG's start and end markers around a marker text).</summary>
    public static readonly byte[] WxaCodeJpeg = [0xFF, 0xD8, 0xFF, 0xE0, .. "fake-wxacode"u8, 0xFF, 0xD9];

    /// <summary>Makes a wx.login code valid once, for this user.</summary>
    public void IssueLoginCode(string code, string openId, string sessionKey, string? unionId = null) =>
        _codes[code] = (openId, sessionKey, unionId);

    private void MapWeChat(WebApplication app)
    {
        Map(app, "POST", "/cgi-bin/stable_token", StableTokenAsync);
        Map(app, "GET", "/sns/jscode2session", Code2SessionAsync);
        Map(app, "POST", "/cgi-bin/message/subscribe/send", http => WithTokenAsync(http, SubscribeSend));
        Map(app, "POST", "/wxa/media_check_async", http => WithTokenAsync(http, MediaCheck));
        Map(app, "POST", "/wxa/getwxacodeunlimit", http => WithTokenAsync(http, WxaCode));
        Map(app, "POST", "/cgi-bin/media/upload", http => WithTokenAsync(http, (h, _) => Task.FromResult<IResult>(Results.Empty), MediaUploadAsync));
        Map(app, "POST", "/cgi-bin/message/custom/send", http => WithTokenAsync(http, CustomSend));
        Map(app, "POST", "/wxa/sec/order/upload_shipping_info", http => WithTokenAsync(http, Shipping));
    }

    private async Task<IResult> StableTokenAsync(HttpContext http)
    {
        var body = await ReadBodyAsync(http.Request);
        Interlocked.Increment(ref _stableTokenCalls);
        if (await EnterAsync(http, body) is { } fault) return fault;
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (Str(root, "grant_type") != "client_credential" || Str(root, "appid") != AppId)
            return Error(40013, "invalid appid");
        if (Str(root, "secret") != AppSecret)
            return Error(40125, "invalid appsecret");
        var force = root.TryGetProperty("force_refresh", out var f) && f.ValueKind == JsonValueKind.True;
        lock (_tokenGate)
        {
            if (force) Interlocked.Increment(ref _forceRefreshCalls);
            // Normal mode hands back the same token while it has more than 5 minutes left.
            if (force || CurrentToken is null || _tokenExpires - DateTimeOffset.UtcNow < TimeSpan.FromMinutes(5))
                IssueToken();
            var expiresIn = (int)(_tokenExpires - DateTimeOffset.UtcNow).TotalSeconds;
            return Json(new { access_token = CurrentToken, expires_in = expiresIn });
        }
    }

    private async Task<IResult> Code2SessionAsync(HttpContext http)
    {
        if (await EnterAsync(http, "") is { } fault) return fault;
        var q = http.Request.Query;
        if (q["appid"] != AppId || q["secret"] != AppSecret || q["grant_type"] != "authorization_code")
            return Error(40013, "invalid appid");
        var code = q["js_code"].ToString();
        // A code is single-use: the second exchange (e.g. a proxy retry) gets 40029.
        if (!_codes.TryGetValue(code, out var user) || !_usedCodes.TryAdd(code, true))
            return Error(40029, "invalid code");
        // Successful answers carry no errcode at all.
        var answer = new Dictionary<string, object> { ["session_key"] = user.SessionKey, ["openid"] = user.OpenId };
        if (user.UnionId is not null) answer["unionid"] = user.UnionId;
        return Json(answer);
    }

    private Task<IResult> WithTokenAsync(HttpContext http, Func<HttpContext, string, IResult> handle) =>
        WithTokenAsync(http, (h, body) => Task.FromResult(handle(h, body)), null);

    private async Task<IResult> WithTokenAsync(HttpContext http, Func<HttpContext, string, Task<IResult>> handle,
        Func<HttpContext, Task<IResult>>? handleRaw)
    {
        var body = await ReadBodyAsync(http.Request);
        if (await EnterAsync(http, body) is { } fault) return fault;
        var token = http.Request.Query["access_token"].ToString();
        lock (_tokenGate)
        {
            if (token.Length == 0) return Error(41001, "access_token missing");
            if (token != CurrentToken) return Error(40001, "invalid credential, access_token is invalid or not latest");
            if (_tokenExpires <= DateTimeOffset.UtcNow) return Error(42001, "access_token expired");
        }
        if (body.Contains("\"access_token\"", StringComparison.Ordinal))
            return Error(47001, "data format error");
        return handleRaw is not null ? await handleRaw(http) : await handle(http, body);
    }

    private IResult SubscribeSend(HttpContext http, string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (Str(root, "touser") is not { Length: > 0 }) return Error(40003, "invalid openid");
        if (Str(root, "template_id") is not { Length: > 0 }) return Error(40037, "invalid template_id");
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return Error(47003, "argument invalid! data is empty");
        foreach (var keyword in data.EnumerateObject())
        {
            if (Str(keyword.Value, "value") is not { Length: > 0 })
                return Error(47003, $"argument invalid! data.{keyword.Name}.value is empty");
        }
        return Json(new { errcode = 0, errmsg = "ok" });
    }

    private IResult MediaCheck(HttpContext http, string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (Str(root, "media_url") is not { Length: > 0 } || !root.TryGetProperty("media_type", out _))
            return Error(47001, "data format error");
        var traceId = $"6{Interlocked.Increment(ref _traceSerial):x7}-fake-trace";
        return Json(new { errcode = 0, errmsg = "ok", trace_id = traceId });
    }

    private IResult WxaCode(HttpContext http, string body)
    {
        using var doc = JsonDocument.Parse(body);
        var scene = Str(doc.RootElement, "scene");
        if (scene is null || scene.Length > 32) return Error(40169, "invalid length for scene, or the data is not json string");
        return Results.Bytes(WxaCodeJpeg, "image/jpeg");
    }

    /// <summary>
    /// As strict as WeChat's own parser is reported to be (SKIT's HttpContentBuilder, errcode 41005 "media
    /// data missing"): the boundary parameter unquoted, the part's <c>name="media"</c> quoted, no RFC 5987
    /// <c>filename*</c>. .NET's MultipartFormDataContent defaults break all three, and WeChat sees no media.
    /// </summary>
    private async Task<IResult> MediaUploadAsync(HttpContext http)
    {
        if (http.Request.Query["type"] != "image") return Error(40004, "invalid media type");
        var contentType = http.Request.Headers.ContentType.ToString();
        var boundary = System.Text.RegularExpressions.Regex.Match(contentType, "boundary=([^;]*)").Groups[1].Value.Trim();
        if (!contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) || boundary.Length == 0 || boundary.StartsWith('"'))
            return Error(41005, "media data missing");
        var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary, http.Request.Body);
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var disposition = section.ContentDisposition ?? "";
            if (!disposition.Contains("name=\"media\"", StringComparison.Ordinal)) continue;
            if (disposition.Contains("filename*", StringComparison.Ordinal)) return Error(41005, "media data missing");
            var fileName = System.Text.RegularExpressions.Regex.Match(disposition, "filename=\"([^\"]*)\"").Groups[1].Value;
            using var bytes = new MemoryStream();
            await section.Body.CopyToAsync(bytes);
            if (bytes.Length == 0 || fileName.Length == 0) return Error(41005, "media data missing");
            var mediaId = $"MEDIA_{Interlocked.Increment(ref _mediaSerial)}_{fileName}_{bytes.Length}";
            return Json(new { type = "image", media_id = mediaId, created_at = DateTimeOffset.UtcNow.ToUnixTimeSeconds() });
        }
        return Error(41005, "media data missing");
    }

    private IResult CustomSend(HttpContext http, string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var msgType = Str(root, "msgtype");
        if (Str(root, "touser") is not { Length: > 0 }) return Error(40003, "invalid openid");
        if (msgType is null || !root.TryGetProperty(msgType, out _)) return Error(40008, "invalid message type");
        return Json(new { errcode = 0, errmsg = "ok" });
    }

    private IResult Shipping(HttpContext http, string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (!root.TryGetProperty("order_key", out _) || !root.TryGetProperty("payer", out _))
            return Error(47001, "data format error");
        return Json(new { errcode = 0, errmsg = "ok" });
    }

    /// <summary>The wxa_media_check push event WeChat sends for a trace id, as plaintext JSON.</summary>
    public string MediaCheckEventJson(string traceId, string suggest, object label, long createTime) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["ToUserName"] = "gh_fake000000", ["FromUserName"] = "o_system_fake", ["CreateTime"] = createTime,
        ["MsgType"] = "event", ["Event"] = "wxa_media_check", ["appid"] = AppId, ["trace_id"] = traceId, ["version"] = 2,
        ["result"] = new { suggest, label },
        ["detail"] = new[] { new { strategy = "content_model", errcode = 0, suggest, label, prob = 90 } },
    });

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
