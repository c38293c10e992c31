using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PhotoReceipt.WeChat.Http;

/// <summary>A raw WeChat reply: the JSON envelope when the body was JSON, otherwise the bytes (mini-program codes).</summary>
internal sealed record WeChatReply(int ErrCode, string? ErrMsg, string? Rid, JsonElement Json, byte[]? Binary, string? ContentType)
{
    public bool IsError => ErrCode != 0;
}

/// <summary>
/// The one place that sends to api.weixin.qq.com: the per-call timeout is the client's (<see cref="OutboundHttp"/>),
/// transport failures become <see cref="Core.WeChat.WeChatTransportException"/>, and logging is by path only, because
/// the query carries access_token or the AppSecret.
/// </summary>
internal sealed class WeChatHttp(HttpClient http, IOptionsMonitor<WeChatOptions> options, ILogger<WeChatHttp> log)
{
    public Task<WeChatReply> GetAsync(string path, IEnumerable<KeyValuePair<string, string>> query, CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Get, BuildUri(path, query)), path, ct);

    public Task<WeChatReply> PostJsonAsync<TBody>(string path, IEnumerable<KeyValuePair<string, string>> query, TBody body, CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, BuildUri(path, query))
        {
            Content = JsonContent(body),
        }, path, ct);

    public Task<WeChatReply> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> query, Func<HttpContent> content, CancellationToken ct) =>
        SendAsync(() => new HttpRequestMessage(HttpMethod.Post, BuildUri(path, query)) { Content = content() }, path, ct);

    internal static ByteArrayContent JsonContent<TBody>(TBody body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, WeChatJson.Options));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private Uri BuildUri(string path, IEnumerable<KeyValuePair<string, string>> query)
    {
        var baseUrl = options.CurrentValue.ApiBaseUrl.TrimEnd('/');
        var q = string.Join('&', query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return new Uri(q.Length == 0 ? baseUrl + path : baseUrl + path + "?" + q);
    }

    private async Task<WeChatReply> SendAsync(Func<HttpRequestMessage> build, string path, CancellationToken ct)
    {
        using var request = build();
        HttpResponseMessage response;
        try
        {
            response = await http.SendOrThrowTransportAsync(request, $"WeChat {path}", ct);
        }
        catch (Core.WeChat.WeChatTransportException e)
        {
            log.LogWarning("WeChat {Path} failed: {Error}", path, e.Message);
            throw;
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new Core.WeChat.WeChatTransportException($"WeChat {path} answered HTTP {(int)response.StatusCode}.");
            var bytes = await response.Content.ReadAsByteArrayAsync(ct);
            var reply = Parse(bytes, response.Content.Headers.ContentType?.MediaType);
            if (reply.IsError)
                log.LogWarning("WeChat {Path} returned errcode {ErrCode} ({ErrMsg}) rid {Rid}", path, reply.ErrCode, reply.ErrMsg, reply.Rid);
            return reply;
        }
    }

    /// <summary>
    /// getwxacodeunlimit answers image bytes on success and JSON on failure, so the branch is on Content-Type;
    /// everything else is JSON (sometimes labelled text/plain, so a body starting with '{' is JSON too).
    /// </summary>
    internal static WeChatReply Parse(byte[] bytes, string? contentType)
    {
        var looksJson = contentType is not null && (contentType.Contains("json", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase));
        if (!looksJson && contentType?.StartsWith("image/", StringComparison.OrdinalIgnoreCase) == true)
            return new WeChatReply(0, null, null, default, bytes, contentType);
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement.Clone();
            var (errCode, errMsg, rid) = WeChatJson.ReadEnvelope(root);
            return new WeChatReply(errCode, errMsg, rid, root, null, contentType);
        }
        catch (JsonException)
        {
            if (looksJson)
                throw new Core.WeChat.WeChatTransportException("WeChat answered a body that is not JSON.");
            return new WeChatReply(0, null, null, default, bytes, contentType);
        }
    }
}
