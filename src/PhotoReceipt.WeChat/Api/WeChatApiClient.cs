using PhotoReceipt.Data.WeChat;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PhotoReceipt.Core.WeChat;
using PhotoReceipt.WeChat.Http;
using PhotoReceipt.WeChat.Token;

namespace PhotoReceipt.WeChat.Api;

/// <summary>The real <see cref="IWeChatApi"/>: api.weixin.qq.com (or WeChat:ApiBaseUrl) with the configured appid.</summary>
internal sealed partial class WeChatApiClient(
    WeChatHttp http,
    AccessTokenProvider tokens,
    MediaCheckStore mediaChecks,
    ConversationLog conversation,
    IOptionsMonitor<WeChatOptions> options,
    IOptionsMonitor<WeChatPayOptions> payOptions) : IWeChatApi
{
    public async Task<WeChatResult<WeChatSession>> Code2SessionAsync(string code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code))
            return WeChatResult<WeChatSession>.Error(40029, "invalid code (empty)");
        var o = options.CurrentValue;
        var reply = await http.GetAsync("/sns/jscode2session",
        [
            new("appid", o.AppId!), new("secret", o.AppSecret!), new("js_code", code), new("grant_type", "authorization_code"),
        ], cancellationToken);
        if (reply.IsError) return WeChatResult<WeChatSession>.Error(reply.ErrCode, reply.ErrMsg, reply.Rid);
        var openId = Text(reply.Json, "openid");
        var sessionKey = Text(reply.Json, "session_key");
        if (openId is null || sessionKey is null)
            return WeChatResult<WeChatSession>.Error(-1, "jscode2session answered without openid/session_key");
        return WeChatResult<WeChatSession>.Success(new WeChatSession(openId, sessionKey, Text(reply.Json, "unionid")));
    }

    public async Task<WeChatResult<WeChatAck>> SendSubscribeMessageAsync(SubscribeMessage message, CancellationToken cancellationToken)
    {
        if (!SubscribeMessageRules.TryNormalize(message.Data, out var data, out var problem))
            return WeChatResult<WeChatAck>.Error(47003, "refused before sending: " + problem);
        var body = new
        {
            touser = message.ToOpenId,
            template_id = message.TemplateId,
            page = message.Page,
            miniprogram_state = message.MiniProgramState ?? options.CurrentValue.MiniProgramState,
            lang = message.Lang,
            data = data.ToDictionary(kv => kv.Key, kv => new { value = kv.Value }),
        };
        return await WithTokenAsync(token => http.PostJsonAsync("/cgi-bin/message/subscribe/send", TokenQuery(token), body, cancellationToken),
            _ => WeChatAck.Instance, cancellationToken);
    }

    public async Task<WeChatResult<string>> StartImageCheckAsync(MediaCheckRequest request, CancellationToken cancellationToken)
    {
        // media_type 2 = image; sending 1 (audio) for an image silently "passes".
        var body = new { media_url = request.MediaUrl, media_type = 2, version = 2, scene = request.Scene, openid = request.OpenId };
        var result = await WithTokenAsync(token => http.PostJsonAsync("/wxa/media_check_async", TokenQuery(token), body, cancellationToken),
            reply => Text(reply.Json, "trace_id") ?? "", cancellationToken);
        if (!result.Ok) return result;
        if (result.Value!.Length == 0) return WeChatResult<string>.Error(-1, "media_check_async answered without trace_id");
        await mediaChecks.RecordAsync(result.Value, request.PhotoId, cancellationToken);
        return result;
    }

    public async Task<WeChatResult<WxaCodeImage>> GetUnlimitedWxaCodeAsync(WxaCodeRequest request, CancellationToken cancellationToken)
    {
        if (!WxaCodeRules.IsValidScene(request.Scene))
            return WeChatResult<WxaCodeImage>.Error(40169, "refused before sending: scene must be 1–32 characters of [0-9A-Za-z!#$&'()*+,/:;=?@-._~]");
        var page = request.Page?.TrimStart('/');
        if (page is not null && page.Contains('?', StringComparison.Ordinal))
            return WeChatResult<WxaCodeImage>.Error(41030, "refused before sending: page must not carry a query; put it in scene");
        var body = new
        {
            scene = request.Scene,
            page,
            check_path = request.CheckPath,
            env_version = request.EnvVersion,
            width = Math.Clamp(request.Width, 280, 1280),
            auto_color = false,
            line_color = new { r = 0, g = 0, b = 0 },
            is_hyaline = false,
        };
        var result = await WithTokenAsync(token => http.PostJsonAsync("/wxa/getwxacodeunlimit", TokenQuery(token), body, cancellationToken),
            reply => reply.Binary is { Length: > 0 } bytes ? new WxaCodeImage(bytes, reply.ContentType ?? "image/jpeg") : null, cancellationToken);
        return result.ErrCode == 0 && result.Value is null
            ? WeChatResult<WxaCodeImage>.Error(-1, "getwxacodeunlimit answered JSON without an error code instead of an image")
            : result;
    }

    public async Task<WeChatResult<WeChatAck>> UploadShippingInfoAsync(ShippingInfo info, CancellationToken cancellationToken)
    {
        object orderKey = info.TransactionId is { Length: > 0 } transactionId
            ? new { order_number_type = 2, transaction_id = transactionId }
            : new { order_number_type = 1, mchid = info.MchId ?? payOptions.CurrentValue.MchId, out_trade_no = info.OutTradeNo };
        var body = new
        {
            order_key = orderKey,
            logistics_type = 3, // virtual goods: the receipt is delivered inside the mini-program
            delivery_mode = 1,
            shipping_list = new[] { new { item_desc = SubscribeMessageRules.Truncate(info.ItemDescription, 120) } },
            upload_time = info.UploadTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            payer = new { openid = info.PayerOpenId },
        };
        return await WithTokenAsync(token => http.PostJsonAsync("/wxa/sec/order/upload_shipping_info", TokenQuery(token), body, cancellationToken),
            _ => WeChatAck.Instance, cancellationToken);
    }

    /// <summary>
    /// Sends with a shared access token. On 40001/42001 (another process refreshed, or it expired) the token is
    /// re-read from the shared cache, refreshed in normal mode if it is still the rejected one, and the call is
    /// retried once. A second rejection is returned as is: forcing a refresh would start token ping-pong.
    /// </summary>
    private async Task<WeChatResult<T>> WithTokenAsync<T>(Func<string, Task<WeChatReply>> send, Func<WeChatReply, T?> map, CancellationToken ct)
    {
        string? rejected = null;
        for (var attempt = 0; ; attempt++)
        {
            var token = await tokens.GetAsync(rejected, ct);
            if (!token.Ok) return WeChatResult<T>.Error(token.ErrCode, token.ErrMsg, token.Rid);
            var reply = await send(token.Value!);
            if (reply.ErrCode is 40001 or 42001 && attempt == 0)
            {
                rejected = token.Value;
                continue;
            }
            return reply.IsError ? WeChatResult<T>.Error(reply.ErrCode, reply.ErrMsg, reply.Rid) : new WeChatResult<T>(map(reply), 0, null, reply.Rid);
        }
    }

    // access_token goes only in the query string; in the body WeChat answers 47001.
    private static KeyValuePair<string, string>[] TokenQuery(string token) => [new("access_token", token)];

    private static string? Text(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var v) ? WeChatJson.ReadText(v) : null;
}
